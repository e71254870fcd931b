"""A PDF copy of a Word document, made by LibreOffice (``soffice --headless --convert-to pdf``).

The PDF is the same document, not a second layout. LibreOffice runs with a private
profile, so it neither disturbs an officer's own LibreOffice nor depends on its
settings; the profile's font replacement table maps the official fonts a Linux server
lacks (仿宋_GB2312, 方正小标宋简体, 黑体 ...) to installed CJK fonts of the same kind.
One conversion runs at a time per profile: a second soffice on a busy profile would
hand its job to the first and exit without a file.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from assistant.errors import AssistantError
from assistant.export.docx_style import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG

INSTALL_HINT = (
    "未找到 LibreOffice（soffice），无法生成 PDF；请安装 Debian 软件包 libreoffice-writer-nogui 和 fonts-noto-cjk"
    "（apt-get install libreoffice-writer-nogui fonts-noto-cjk），或先下载 Word 版本。"
    " / LibreOffice (soffice) is not installed, so no PDF can be made: install the Debian packages"
    " libreoffice-writer-nogui and fonts-noto-cjk, or use the Word file."
)

# Installed fonts tried, in order, for each official font chain when its fonts are missing.
SERIF_CJK = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "Noto Sans CJK SC")
SANS_CJK = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
KAI_CJK = ("AR PL UKai CN", *SERIF_CJK)
SUBSTITUTES = {FANGSONG: SERIF_CJK, XIAOBIAOSONG: SERIF_CJK, SONGTI: SERIF_CJK, KAITI: KAI_CJK, HEITI: SANS_CJK}

_lock = threading.Lock()


class PDFUnavailableError(AssistantError):
    """LibreOffice is not installed: the message says what to install."""


class PDFConversionError(AssistantError):
    """LibreOffice ran but produced no PDF (a damaged document, a timeout)."""


def find_soffice(configured: str = "soffice") -> str | None:
    """The LibreOffice binary (a name on PATH or a full path), or None."""
    return shutil.which(configured)


@cache
def installed_families() -> frozenset[str]:
    """Font families fontconfig knows; empty when fc-list is absent (then every official font is replaced)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return frozenset()
    listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False)
    return frozenset(name.strip() for line in listed.stdout.splitlines() for name in line.split(","))


def font_replacements(installed: frozenset[str]) -> list[tuple[str, str]]:
    """(missing official font, installed substitute) pairs for LibreOffice's replacement table."""
    pairs = []
    for chain, candidates in SUBSTITUTES.items():
        substitute = next((c for c in candidates if c in installed), None)
        if substitute is None:
            continue
        pairs += [(name, substitute) for name in chain if name not in installed]
    return pairs


def _registry(pairs: list[tuple[str, str]]) -> str:
    items = [
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
    ]
    for index, (name, substitute) in enumerate(pairs):
        items.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{index}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(name)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(substitute)}</value></prop>'
            "</node></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + "\n".join(items) + "\n</oor:items>\n"
    )


def prepare_profile(profile: Path) -> None:
    """Write the font replacement table into the private profile (LibreOffice keeps it across runs)."""
    registry = profile / "user" / "registrymodifications.xcu"
    wanted = _registry(font_replacements(installed_families()))
    marker = profile / "user" / ".assistant-fonts"
    if registry.exists() and marker.exists() and marker.read_text(encoding="utf-8") == wanted:
        return
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text(wanted, encoding="utf-8")  # a fresh private profile: nothing else to keep
    marker.write_text(wanted, encoding="utf-8")


@contextmanager
def _exclusive(profile: Path) -> Iterator[None]:
    profile.mkdir(parents=True, exist_ok=True)
    with _lock, open(profile / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # also keeps the CLI and the UI from sharing the profile at once
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def default_profile() -> Path:
    return Path(tempfile.gettempdir()) / f"assistant-soffice-{os.getuid()}"


def _run_own_group(command: list[str], timeout_s: float, docx: Path) -> tuple[int, str]:
    """Run LibreOffice in its own process group, so a timeout ends soffice.bin too, not only its launcher
    (a survivor would keep the profile locked and every later conversion would fail)."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired as err:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PDFConversionError(
                f"LibreOffice 转换超时（{timeout_s:g} 秒）/ LibreOffice took longer than {timeout_s:g} s: {docx}"
            ) from err
    return process.returncode, output.strip()


def docx_to_pdf(
    docx: Path, pdf: Path, soffice: str = "soffice", profile: Path | None = None, timeout_s: float = 180
) -> Path:
    """Convert ``docx`` to ``pdf`` (written whole or not at all); raises PDFUnavailableError without LibreOffice."""
    binary = find_soffice(soffice)
    if binary is None:
        raise PDFUnavailableError(INSTALL_HINT)
    profile = profile or default_profile()
    with _exclusive(profile), tempfile.TemporaryDirectory(prefix="assistant-pdf-") as out_dir:
        prepare_profile(profile)
        command = [
            binary,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            out_dir,
            str(docx),
        ]
        returncode, output = _run_own_group(command, timeout_s, docx)
        produced = Path(out_dir) / f"{docx.stem}.pdf"
        if returncode != 0 or not produced.exists():
            raise PDFConversionError(
                f"LibreOffice 未能生成 PDF（退出码 {returncode}）/ LibreOffice made no PDF from {docx}: {output[-500:]}"
            )
        pdf.parent.mkdir(parents=True, exist_ok=True)
        partial = pdf.with_name(pdf.name + ".part")
        shutil.move(str(produced), partial)
        partial.replace(pdf)  # a reader never sees a half-written PDF
    return pdf
