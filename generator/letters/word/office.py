"""Filled DOCX → PDF with LibreOffice headless, started once per process (not per letter).

LibreOffice runs with a private profile and a private fontconfig that offers the
project's font (``generator/pdf/fonts``) for the CJK families Word templates name
(宋体, 黑体, 微软雅黑 …), so the PDF embeds that font on a machine with no Chinese fonts.
A small bridge (``uno_bridge.py``, run by the system Python that has LibreOffice's
``uno`` module) keeps one LibreOffice instance open and converts file after file; when
this process ends, its pipe closes and the bridge shuts LibreOffice down.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.errors import PlaybookError, Problem

SYSTEM_PYTHON = "/usr/bin/python3"
BRIDGE = Path(__file__).with_name("uno_bridge.py")
START_TIMEOUT = 120
CJK_FAMILIES = (
    "宋体",
    "SimSun",
    "新宋体",
    "NSimSun",
    "黑体",
    "SimHei",
    "仿宋",
    "FangSong",
    "仿宋_GB2312",
    "楷体",
    "KaiTi",
    "楷体_GB2312",
    "微软雅黑",
    "Microsoft YaHei",
    "等线",
    "DengXian",
    "方正小标宋简体",
    "华文中宋",
    "STSong",
    "Songti SC",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
)
INSTALL_HINT = "apt-get install libreoffice-writer-nogui python3-uno"


def soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def missing(display: str) -> Problem | None:
    """Why PDF letters cannot be made from a Word template here (None when they can)."""
    uno_ok = False
    if Path(SYSTEM_PYTHON).exists():
        uno_ok = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    if soffice() and uno_ok:
        return None
    return Problem(
        display,
        0,
        0,
        "--format pdf",
        "LibreOffice is not installed: a PDF letter from a Word template is the filled DOCX converted "
        f"by LibreOffice (Debian/Ubuntu: {INSTALL_HINT}); use --format docx, or remove this file to "
        "use the HTML letter",
    )


def fontconfig(folder: Path) -> Path:
    """A fontconfig file: the system's fonts, plus the shipped Chinese font preferred for
    every CJK family a Word template may name."""
    from generator.pdf import FONT_DIR, FONT_FAMILY

    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer><family>{FONT_FAMILY}</family></prefer></alias>'
        for name in CJK_FAMILIES
    )
    text = f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{FONT_DIR}</dir>
  <cachedir>{folder / "fontconfig-cache"}</cachedir>
{aliases}
  <match target="pattern"><test name="lang" compare="contains"><string>zh</string></test>
    <edit name="family" mode="prepend"><string>{FONT_FAMILY}</string></edit></match>
</fontconfig>
"""
    path = folder / "fonts.conf"
    path.write_text(text, encoding="utf-8")
    return path


class Converter:
    """One LibreOffice instance, reused for every letter of this process."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="playbook-office-"))
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig(self.folder))
        env["HOME"] = str(self.folder)  # LibreOffice writes nothing into the user's home
        self.process = subprocess.Popen(
            [SYSTEM_PYTHON, str(BRIDGE), soffice() or "soffice", str(self.folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
            encoding="utf-8",
        )
        reply = self._read()
        if reply != "ready":
            self.close()
            raise RuntimeError(reply or "LibreOffice did not start")
        self.count = 0

    def _read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().rstrip("\n")

    def convert(self, data: bytes) -> bytes:
        assert self.process.stdin is not None
        self.count += 1
        source = self.folder / f"letter-{self.count}.docx"
        target = source.with_suffix(".pdf")
        source.write_bytes(data)
        try:
            self.process.stdin.write(f"{source}\t{target}\n")
            self.process.stdin.flush()
            reply = self._read()
            if reply != "ok":
                raise RuntimeError(reply or "LibreOffice stopped")
            return deterministic(target.read_bytes())
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                if self.process.stdin:
                    self.process.stdin.close()
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_CREATED = re.compile(rb"/CreationDate\(D:[0-9]{14}[^)]*\)")
_ID = re.compile(rb"/ID \[ ?<([0-9A-Fa-f]{32})> ?<([0-9A-Fa-f]{32})> ?\]")


def deterministic(pdf: bytes) -> bytes:
    """Same letter, same bytes: LibreOffice stamps the clock time and a time-based /ID; both
    are replaced in place (same length, so the cross-reference offsets stay right) by the
    project's PDF date and a digest of the content."""
    from generator.pdf import pdf_date

    stamp = pdf_date().strftime("%Y%m%d%H%M%S").encode()

    def created(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/CreationDate(D:" + stamp + b"Z"
        return new + b"'" * (len(old) - len(new) - 1) + b")" if len(new) < len(old) else old

    pdf = _CREATED.sub(created, pdf)
    found = _ID.search(pdf)
    if found:
        blank = pdf[: found.start(1)] + b"0" * 32 + pdf[found.end(1) : found.start(2)] + b"0" * 32 + pdf[found.end(2) :]
        digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
        pdf = pdf[: found.start(1)] + digest + pdf[found.end(1) : found.start(2)] + digest + pdf[found.end(2) :]
    return pdf


_CONVERTER: list[Converter] = []


def converter(display: str) -> Converter:
    if not _CONVERTER:
        problem = missing(display)
        if problem:
            raise PlaybookError([problem])
        try:
            _CONVERTER.append(Converter())
        except (OSError, RuntimeError) as exc:
            raise PlaybookError([Problem(display, 0, 0, "--format pdf", f"LibreOffice did not start: {exc}")]) from None
        atexit.register(close)
        from multiprocessing import util

        util.Finalize(None, close, exitpriority=10)  # worker processes skip atexit
    return _CONVERTER[0]


def convert(data: bytes, display: str) -> bytes:
    """A filled DOCX as PDF bytes (the same LibreOffice for every call of this process)."""
    try:
        return converter(display).convert(data)
    except RuntimeError as exc:
        close()
        raise PlaybookError(
            [Problem(display, 0, 0, "--format pdf", f"LibreOffice could not convert the letter: {exc}")]
        ) from None


def close() -> None:
    while _CONVERTER:
        _CONVERTER.pop().close()
