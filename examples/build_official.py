"""Build the official Medway 2022 assessment (PDF and DOCX) from its folder.

    python examples/build_official.py [OUT_DIR]
"""

import sys
from pathlib import Path

import assessment

ROOT = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "examples"

report = assessment.load_report(ROOT / "fixtures" / "medway-2022")
for suffix in (".pdf", ".docx"):
    print(assessment.render(report, out / f"official{suffix}"))
