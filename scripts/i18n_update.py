"""Re-extract the review pages' messages and merge them into the catalogs (new ids arrive untranslated;
tests/test_review_i18n.py fails until they are translated).

    .venv/bin/python scripts/i18n_update.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "review_ui" / "i18n"


def main() -> None:
    pot = I18N / "messages.pot"
    babel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [
            *babel,
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "--no-location",
            "--sort-output",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    for locale in ("zh_CN", "en"):
        po = I18N / locale / "LC_MESSAGES" / "messages.po"
        verb = "update" if po.is_file() else "init"
        subprocess.run([*babel, verb, "-i", str(pot), "-d", str(I18N), "-l", locale], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
