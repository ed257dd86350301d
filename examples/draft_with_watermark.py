"""A draft for colleagues: DRAFT watermark, draft footer, and a list of what is still missing.

The draft leaves one figure out on purpose (next year's population is not in yet), so the
report shows a highlighted placeholder instead of failing as an official build would.

    python examples/draft_with_watermark.py [OUT_DIR]
"""

import shutil
import sys
import tempfile
from pathlib import Path

import assessment

ROOT = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "examples"

with tempfile.TemporaryDirectory() as scratch:
    folder = Path(scratch) / "medway-draft"
    shutil.copytree(ROOT / "fixtures" / "medway-2022", folder)
    intro = folder / "text" / "csp.md"
    intro.write_text(intro.read_text() + "\nIn 2023 Medway's population was {{ population_2023 | number }}.\n")
    built = assessment.build(folder, out, draft=True)
    for path in built:
        print(path)
    print("still missing:", ", ".join(built.missing))
