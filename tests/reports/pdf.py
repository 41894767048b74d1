"""Reading PDFs in tests: the text layer through poppler, and the raw (inflated) streams."""

import re
import shutil
import subprocess
import zlib


def pdftotext(pdf: bytes, tmp_path, first=None, last=None, raw=False) -> str:
    """The text layer; ``raw`` in content order and without joining a word broken at a hyphen
    (which the default does, dropping the hyphen of a URL broken after it)."""
    assert shutil.which("pdftotext"), "poppler-utils is missing: run `make test`, which installs it"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else [])]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True).stdout.decode()


def page_count(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def embedded_files(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "attach.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfdetach", "-list", str(path)], check=True, capture_output=True).stdout.decode()


def raw_streams(pdf: bytes) -> bytes:
    """Every stream in the file, inflated where it is compressed, joined with the rest."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b"\n".join(parts)
