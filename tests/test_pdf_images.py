"""Pictures kept ready for the PDF in the chart cache: the same streams as made afresh."""

import io

from PIL import Image

from assessment.render.tagging import PdfImage, pdf_ready


def png(mode: str, colour) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def test_a_kept_picture_is_the_one_made_afresh_and_a_damaged_one_is_made_again(tmp_path):
    opaque, translucent = png("RGB", (200, 30, 10)), png("RGBA", (0, 90, 200, 128))
    for picture in (opaque, translucent):
        fresh = pdf_ready(picture)
        assert pdf_ready(picture, tmp_path) == fresh  # made and kept
        assert pdf_ready(picture, tmp_path) == fresh  # read back
    assert pdf_ready(opaque).alpha is None and pdf_ready(translucent).alpha is not None
    kept = sorted(tmp_path.glob("*.pdfimage"))
    assert len(kept) == 2
    for entry in kept:
        entry.write_bytes(entry.read_bytes()[:-5])  # cut short, as by a full disk
    assert {pdf_ready(opaque, tmp_path), pdf_ready(translucent, tmp_path)} == {pdf_ready(opaque), pdf_ready(translucent)}


def test_a_kept_picture_decodes_to_the_png_s_pixels(tmp_path):
    import zlib

    picture = png("RGB", (12, 34, 56))
    ready = pdf_ready(picture, tmp_path)
    ready = pdf_ready(picture, tmp_path)
    assert isinstance(ready, PdfImage) and (ready.width, ready.height) == (40, 30)
    assert zlib.decompress(ready.rgb) == bytes((12, 34, 56)) * 40 * 30
