"""Write clearly synthetic police.uk-format street-level files for this example.

    python examples/from-police-data/make_synthetic.py [OUT_FOLDER] [ROWS_PER_MONTH]

Two financial years (April 2021 - March 2023) for an imaginary force, "Exampleshire", seeded so
the files are the same every time. Nothing here is real data.
"""

import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
           "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
TYPES = {  # rough shares, for a realistic look
    "Violence and sexual offences": 34, "Anti-social behaviour": 22, "Public order": 9,
    "Criminal damage and arson": 8, "Shoplifting": 6, "Other theft": 5, "Vehicle crime": 4,
    "Burglary": 3, "Drugs": 2, "Other crime": 2, "Possession of weapons": 1, "Robbery": 1,
    "Bicycle theft": 1, "Theft from the person": 1,
}
LSOAS = [(f"E0109{k:04d}", f"Exampleton {k:03d}") for k in range(1, 25)]
OUTCOMES = ["Investigation complete; no suspect identified", "Unable to prosecute suspect", "Under investigation", ""]
SEASON = [1.10, 1.15, 1.20, 1.18, 1.10, 1.00, 0.98, 0.90, 0.85, 0.82, 0.80, 0.92]  # April first


def months():
    for year in (2021, 2022):
        for m in range(4, 13):
            yield f"{year}-{m:02d}"
        for m in range(1, 4):
            yield f"{year + 1}-{m:02d}"


def write(out: Path, per_month: int, seed: int = 2022) -> int:
    rng = random.Random(seed)
    types, weights = list(TYPES), list(TYPES.values())
    hot = [w ** 2 for w in range(len(LSOAS), 0, -1)]  # some areas much busier than others
    total = 0
    for index, month in enumerate(months()):
        folder = out / month
        folder.mkdir(parents=True, exist_ok=True)
        count = round(per_month * SEASON[index % 12] * (1.08 if month >= "2022-04" else 1.0))
        with (folder / f"{month}-exampleshire-street.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for _ in range(count):
                crime_type = rng.choices(types, weights)[0]
                code, name = rng.choices(LSOAS, hot)[0]
                asb = crime_type == "Anti-social behaviour"
                writer.writerow([
                    "" if asb else "%064x" % rng.getrandbits(256), month, "Exampleshire Police",
                    "Exampleshire Police", f"{0.5 + rng.random() / 10:.6f}", f"{51.3 + rng.random() / 10:.6f}",
                    "On or near Example Street", code, name, crime_type, "" if asb else rng.choice(OUTCOMES), "",
                ])
        total += count
    return total


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "data" / "police"
    rows = write(target, int(sys.argv[2]) if len(sys.argv) > 2 else 60)
    print(f"{rows} synthetic rows in {target}")
