"""Export a DOCX as tagged PDF/UA with LibreOffice, its contents index refreshed first.

Run as a script by the Python that carries LibreOffice's UNO bridge (on Debian the system
python3 with python3-uno), never imported by ours: usage ``python3 _uno_export.py SOFFICE
SOURCE.docx TARGET.pdf PROFILE_DIR``. ``soffice --convert-to pdf`` would keep the contents page
numbers cached in the DOCX (they come from our reportlab layout, not LibreOffice's), so the
document is opened over UNO, its indexes updated, then exported.
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

START_SECONDS = 60


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def properties(*items):
    return uno.Any("[]com.sun.star.beans.PropertyValue", tuple(items))


def connect(office, pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if office.poll() is not None:
                sys.exit(f"LibreOffice stopped while starting (exit status {office.returncode})")
            if time.monotonic() > deadline:
                sys.exit(f"LibreOffice did not start within {START_SECONDS} s")
            time.sleep(0.1)


def export(context, source, target):
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    if document is None:
        sys.exit(f"LibreOffice could not open {source}")
    try:
        indexes = document.getDocumentIndexes()
        # Twice: the first update can move text, and with it the pages the second one reads.
        for _ in range(2):
            for number in range(indexes.getCount()):
                indexes.getByIndex(number).update()
        pdf_options = properties(
            prop("UseTaggedPDF", True), prop("PDFUACompliance", True), prop("ExportBookmarks", True),
            prop("ExportFormFields", False), prop("UseLosslessCompression", True),
        )
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), properties(
            prop("FilterName", "writer_pdf_Export"), prop("FilterData", pdf_options))))
    finally:
        document.close(True)
    try:
        desktop.terminate()
    except Exception:  # the bridge drops as the office quits; that is the normal end
        pass


def main(soffice, source, target, profile):
    pipe = f"assessment-{os.getpid()}"
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        export(connect(office, pipe), source, target)
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:5])
