"""A short report built entirely in code from pandas DataFrames — no folder, no YAML.

    python examples/from_dataframe.py [OUT_DIR]
"""

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

import assessment
from assessment import compose as c
from assessment import figures

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "build" / "examples"

# Clearly synthetic numbers for an imaginary borough.
monthly = pd.DataFrame({
    "month": ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24",
              "Oct-24", "Nov-24", "Dec-24", "Jan-25", "Feb-25", "Mar-25"],
    "incidents": [410, 455, 520, 498, 470, 402, 380, 342, 330, 301, 289, 344],
})
annual = pd.DataFrame({"year": ["2023-24", "2024-25"], "incidents": [5012, int(monthly.incidents.sum())]})
population = 150_000
previous, current = annual.incidents.iloc[0], annual.incidents.iloc[1]

report = c.report(
    "ASB Summary 2024-25", "Exampleton Community Safety Partnership",
    c.section(
        "Anti-Social Behaviour",
        f"Exampleton recorded **{figures.number(current)} incidents** in 2024-25, "
        f"{figures.article(figures.change(previous, current, 1))} on {figures.number(previous)} the year before "
        f"({figures.rate(current, population)} per 1,000 people).",
        c.key_facts({
            "No of Incidents": f"**{figures.number(current)}** (April 2024 – March 2025)",
            "Seasonality": c.chart("line", "ASB incidents by month, 2024-25", monthly, "month", "incidents",
                                   y_title="Incidents", width=330, height=140),
        }),
        c.table(annual, headers={"year": "Year", "incidents": "Incidents"}, title="Incidents by year"),
        c.callout("Anti-Social Behaviour", ["Target summer patrols at the June peak.",
                                            "Review the data again at mid-year."]),
    ),
    name="exampleton-asb-2024-25", date=dt.date(2025, 6, 1), style="plain",
)

for suffix in (".pdf", ".docx"):
    print(assessment.render(report, out / f"exampleton{suffix}"))
