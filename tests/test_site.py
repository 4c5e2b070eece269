"""The website's vendored JavaScript and `make serve`'s server (gae_lib.site)."""
import io
import tarfile
import urllib.request

import pytest

from gae_lib import site


def fake_npm_pack(content: bytes):
    """A subprocess.run stand-in that 'packs' a tarball holding package/dist/ort.wasm.min.js."""
    def run(cmd, cwd, **kwargs):
        name, version = cmd[2].rsplit("@", 1)
        with tarfile.open(f"{cwd}/{name}-{version}.tgz", "w") as tar:
            info = tarfile.TarInfo("package/dist/ort.wasm.min.js")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return run


def test_a_tarball_with_another_sha256_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "STATIC", tmp_path)
    monkeypatch.setattr(site.subprocess, "run", fake_npm_pack(b"not the real thing"))
    asset = site.NpmAsset("onnxruntime-web", "1.30.0", "0" * 64, "package/dist",
                          ("ort.wasm.min.js",), "onnxruntime-web")
    with pytest.raises(SystemExit, match="sha256 .* expected 0{64}; not used"):
        site.vendor(asset)
    assert not (tmp_path / "onnxruntime-web").exists()


def test_a_verified_tarball_is_unpacked_once_and_replaced_when_the_version_changes(
        tmp_path, monkeypatch):
    monkeypatch.setattr(site, "STATIC", tmp_path)
    calls = []
    fake = fake_npm_pack(b"// ort")

    def run(cmd, cwd, **kwargs):
        calls.append(cmd)
        fake(cmd, cwd)

    monkeypatch.setattr(site.subprocess, "run", run)
    # The sha256 of what the fake packs, read from the refusal of a wrong one.
    probe = site.NpmAsset("x", "1", "0" * 64, "package/dist", ("ort.wasm.min.js",), "x")
    with pytest.raises(SystemExit, match=r"sha256 (\w+), expected") as err:
        site.vendor(probe)
    digest = str(err.value).split("sha256 ")[1].split(",")[0]
    asset = site.NpmAsset("x", "1", digest, "package/dist", ("ort.wasm.min.js",), "x")
    assert (site.vendor(asset) / "ort.wasm.min.js").read_bytes() == b"// ort"
    site.vendor(asset)
    assert len(calls) == 2                       # the second call found it vendored
    newer = site.NpmAsset("x", "2", digest, "package/dist", ("ort.wasm.min.js",), "x")
    site.vendor(newer)
    assert len(calls) == 3 and newer.present() and not asset.present()


def test_served_site_answers_on_127_0_0_1_with_the_right_types(tmp_path):
    (tmp_path / "index.html").write_text("<p>book</p>")
    (tmp_path / "m.wasm").write_bytes(b"\0asm")
    with site.served(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        assert urllib.request.urlopen(url).read() == b"<p>book</p>"
        with urllib.request.urlopen(url + "m.wasm") as r:
            assert r.headers["Content-Type"] == "application/wasm"


def test_serve_without_a_built_site_says_to_build_it(tmp_path, capsys):
    assert site.main(["serve", str(tmp_path)]) == 1
    assert "build the website first (make book)" in capsys.readouterr().err


def test_a_page_from_the_cache_gets_the_onnx_files_its_sliders_load(monkeypatch):
    from gae_lib import export, sphinx_live
    from gae_lib.widgets import live

    page = object.__new__(live.BrowserSliders)   # its HTML, without exporting anything
    page.config = {"classifier": "_static/live/book/classifier.onnx", "models": [
        {"checkpoint": "favuzzi2019/vae", "label": "</script> in a label",
         "generator": "_static/live/favuzzi2019/vae.generator.onnx"}]}
    asked = []

    def export_network(name, role, out):
        asked.append((name, role))
        return export.onnx_path(out, name, role)

    monkeypatch.setattr(export, "export_network", export_network)
    sphinx_live.export_missing(None, "book/x", "page.html", {"body": page._repr_html_()}, None)
    assert asked == [("book/classifier", "classifier"), ("favuzzi2019/vae", "generator")]
    page.config["models"][0]["generator"] = "_static/live/elsewhere.onnx"
    with pytest.raises(RuntimeError, match="the page loads _static/live/elsewhere.onnx"):
        sphinx_live.export_missing(None, "book/x", "page.html", {"body": page._repr_html_()}, None)
