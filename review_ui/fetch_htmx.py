"""Install htmx into the package from the npm registry (`htmx.org`), pinned by version and sha256.

Run once at install time (`.ci/run` and the README's setup do): `python -m review_ui.fetch_htmx`.
It uses the ordinary npm client (`npm pack`), so no CDN is ever involved, neither here nor in the pages.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "2.0.8"
SHA256 = "22283ef68cb7545914f0a88a1bdedc7256a703d1d580c1d255217d0a50d31313"
TARGET = Path(__file__).parent / "static" / "vendor" / "htmx.min.js"


def installed() -> bool:
    return TARGET.is_file() and hashlib.sha256(TARGET.read_bytes()).hexdigest() == SHA256


def fetch(target: Path = TARGET) -> Path:
    if target == TARGET and installed():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to install htmx (Debian: apt-get install -y npm)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [npm, "pack", f"htmx.org@{VERSION}", "--pack-destination", tmp, "--silent"],
            check=True,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("htmx.org-*.tgz")
        with tarfile.open(tarball) as tar:
            member = tar.extractfile("package/dist/htmx.min.js")
            if member is None:
                raise SystemExit("htmx.org package has no dist/htmx.min.js")
            data = member.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"htmx.org@{VERSION}: sha256 {digest} does not match the pinned {SHA256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def main() -> None:
    path = fetch()
    print(f"htmx {VERSION} installed at {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
