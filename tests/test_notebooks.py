"""The notebooks run top to bottom on the bundled demo, in this interpreter, and are stored without outputs."""
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_the_notebooks_are_there():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom(path, embedder, monkeypatch, tmp_path):
    monkeypatch.setenv("DETECTOR_CACHE", str(embedder.cache.path.parent))  # shared with the other demo tests
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # what the notebooks write goes here
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable, end='')"))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[-1].outputs[0].text == sys.executable  # the kernel is this virtualenv's interpreter


def test_public_functions_survive_submodule_imports():
    import detector
    import detector.report  # imports the modules detector.study and detector.screen
    import detector.screen
    import detector.study

    assert callable(detector.study) and callable(detector.screen)
