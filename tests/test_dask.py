"""Beyond one machine: the README's Dask snippet, run as written on a local cluster.

The README promises that ``build_one`` can be handed to ``dask.distributed`` unchanged; this
runs its ``client.map(build_one, folders, options=...)`` line on a LocalCluster of two worker
processes and reads every document back, so a change that makes the work unpicklable, or that
leans on state only the parent process has, fails here rather than on someone's cluster.
"""

import shutil
import signal
from pathlib import Path

import pytest

from conftest import ROOT

distributed = pytest.importorskip("distributed")

TOWNS = ("Ashford", "Bexley", "Crawley", "Dartford")


@pytest.fixture
def four_folders(tmp_path):
    folders = []
    for town in TOWNS:
        folder = tmp_path / "in" / town.lower()
        shutil.copytree(ROOT / "examples" / "another_council", folder)
        report = folder / "report.yaml"
        # Each its own title, so a document built from the wrong folder cannot pass.
        report.write_text(report.read_text().replace("title: ", f"title: {town} ", 1))
        folders.append(str(folder))
    return folders


@pytest.fixture
def guard():
    """A hung cluster must fail the test, not hold the suite: a generous limit, not a speed check."""
    def expire(*_):
        raise TimeoutError("the Dask build did not finish within 240 s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(240)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_four_folders_build_on_a_dask_local_cluster_through_build_one(tmp_path, four_folders, chart_cache, guard):
    import docx
    import pdfplumber
    from dask.distributed import Client, LocalCluster

    from assessment.batch import BuildOptions, build_one

    folders = four_folders
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        # The README's line, as written there.
        outcomes = client.gather(client.map(build_one, folders, options=BuildOptions(
            str(tmp_path / "out"), cache_dir=str(chart_cache))))
    finally:
        client.close()
        cluster.close()
    assert client.status == "closed" and cluster.status.name == "closed"

    assert [o.folder for o in outcomes] == folders
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    for town, outcome in zip(TOWNS, outcomes):
        paths = {Path(p).suffix: Path(p) for p in outcome.paths}
        assert set(paths) == {".pdf", ".docx"}
        assert all(p.parent == tmp_path / "out" / town.lower() for p in paths.values())
        title = f"{town} Strategic Assessment 2023"
        others = [t for t in TOWNS if t != town]
        docx_title = docx.Document(str(paths[".docx"])).core_properties.title
        assert title in docx_title and not any(t in docx_title for t in others)
        with pdfplumber.open(paths[".pdf"]) as pdf:
            assert title in pdf.metadata["Title"]
            cover = pdf.pages[0].extract_text().replace("\n", " ")
        assert title in cover and not any(t in cover for t in others)
