"""Run by the *system* Python (it has LibreOffice's ``uno``), never imported by the package.

Usage: ``python3 uno_bridge.py SOFFICE FOLDER``. Starts one headless LibreOffice with its
profile in FOLDER, prints ``ready``, then for each stdin line ``SOURCE.docx<TAB>TARGET.pdf``
converts and prints ``ok`` (or ``error: …``). At end of input it shuts LibreOffice down.
"""

import contextlib
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name: str, value: object) -> object:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def main() -> int:
    soffice, folder = sys.argv[1], sys.argv[2]
    pipe = f"playbook{os.getpid()}"
    office = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "--nofirststartwizard",
            f"-env:UserInstallation={uno.systemPathToFileUrl(os.path.join(folder, 'profile'))}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    context = None
    deadline = time.monotonic() + 120
    while context is None:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                print("error: LibreOffice did not start", flush=True)
                return 1
            time.sleep(0.2)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            source, target = line.rstrip("\n").split("\t")
            try:
                document = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True))
                )
                if document is None:
                    raise RuntimeError("could not open the DOCX")
                try:
                    document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
                finally:
                    document.close(True)
                print("ok", flush=True)
            except Exception as exc:  # the caller reports it; the bridge stays usable
                print(f"error: {exc}".replace("\n", " "), flush=True)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
