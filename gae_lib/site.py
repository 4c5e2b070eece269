"""The website's own copies of its JavaScript, and a local server for it.

    python -m gae_lib.site assets        vendor MathJax, plotly.js and onnxruntime-web
    python -m gae_lib.site serve [DIR]   serve _build/html on 127.0.0.1, a free port

Nothing comes from a CDN: MathJax and onnxruntime-web are npm packages (``npm pack``),
checked by sha256 before a file of them is used; plotly.js is the copy inside the installed
plotly package.  Plain Python, so ``make book`` needs no GNU shell tools.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .data.sources import REPO_ROOT, file_digest

STATIC = REPO_ROOT / "book" / "_static"


@dataclass(frozen=True)
class NpmAsset:
    package: str
    version: str
    sha256: str          # of the tarball npm packs
    folder: str          # inside the tarball
    paths: tuple[str, ...]  # files or folders under ``folder`` that the site serves
    target: str          # under book/_static

    @property
    def stamp(self) -> Path:      # what was vendored, so a new version replaces an old one
        return STATIC / self.target / ".vendored"

    def present(self) -> bool:
        return self.stamp.exists() and self.stamp.read_text() == self.label

    @property
    def label(self) -> str:
        return f"{self.package}@{self.version} {self.sha256}"


MATHJAX = NpmAsset("mathjax", "3.2.2",
                   "1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09",
                   "package/es5", ("tex-chtml.js", "output/chtml/fonts", "input/tex/extensions",
                                   "ui", "a11y"), "mathjax")
# The WebAssembly build only (no WebGL/WebGPU): ort.wasm.min.js defines the global ``ort``
# and loads the .mjs/.wasm pair from its own folder; one thread needs no special headers.
ONNXRUNTIME_WEB = NpmAsset("onnxruntime-web", "1.30.0",
                           "d2228df7e4616bc3348bf504ee888f3bec43789a273f0a63f3e68d203ce3bf71",
                           "package/dist", ("ort.wasm.min.js", "ort-wasm-simd-threaded.mjs",
                                            "ort-wasm-simd-threaded.wasm"), "onnxruntime-web")
NPM_ASSETS = (MATHJAX, ONNXRUNTIME_WEB)


def vendor(asset: NpmAsset) -> Path:
    """Unpack the npm package's files into book/_static/TARGET, once; the tarball's sha256
    must match before anything of it is used."""
    target = STATIC / asset.target
    if asset.present():
        return target
    spec = f"{asset.package}@{asset.version}"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL)
        except (OSError, subprocess.CalledProcessError) as err:
            raise SystemExit(f"could not fetch {spec} with `npm pack` ({err}); the website "
                             f"serves its own copy and needs npm (Node.js) once to get it")
        tarball = Path(tmp) / f"{asset.package}-{asset.version}.tgz"
        got = file_digest(tarball, "sha256")
        if got != asset.sha256:
            raise SystemExit(f"{tarball.name}: sha256 {got}, expected {asset.sha256}; not used")
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        staging = Path(tmp) / "staging"
        for rel in asset.paths:
            source = Path(tmp) / asset.folder / rel
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, staging / rel)
            else:
                shutil.copy2(source, staging / rel)
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging, target)
        asset.stamp.write_text(asset.label)
    print(f"{spec} vendored into {target}")
    return target


def copy_plotly() -> Path:
    import plotly

    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    target = STATIC / "plotly" / "plotly.min.js"
    if not target.exists() or file_digest(target, "sha256") != file_digest(source, "sha256"):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return target


def assets() -> None:
    for asset in NPM_ASSETS:
        vendor(asset)
    copy_plotly()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                      ".js": "text/javascript", ".onnx": "application/octet-stream"}

    def log_message(self, *args):   # one line per request drowns the URL in the terminal
        pass


@contextmanager
def served(directory: Path):
    """Serve ``directory`` on 127.0.0.1 at a free port in a thread; yields the base URL."""
    directory = Path(directory)
    if not (directory / "index.html").exists():
        raise FileNotFoundError(f"{directory}/index.html not found: build the website first "
                                f"(make book)")
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gae_lib.site")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("assets", help="vendor MathJax, plotly.js and onnxruntime-web into "
                                  "book/_static (checked by sha256)")
    sp = sub.add_parser("serve", help="serve the built website on 127.0.0.1, a free port")
    sp.add_argument("directory", nargs="?", type=Path,
                    default=STATIC.parent.parent / "_build" / "html")
    args = parser.parse_args(argv)
    if args.command == "assets":
        assets()
        return 0
    try:
        with served(args.directory) as url:
            print(f"Serving {args.directory} at {url}  (Ctrl-C stops)", flush=True)
            threading.Event().wait()
    except FileNotFoundError as err:
        print(err, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
