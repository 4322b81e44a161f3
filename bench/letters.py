"""Benchmark of ``playbook letters``: letters per second and peak memory.

Runs, on generated bulk files (one to three invoices per customer, sorted by customer):

* plain WeasyPrint in one process, rendering the very same letter HTML
  (``HTML(string=…).write_pdf()``; only that call is timed);
* ``playbook letters --jobs 1`` (one process, no workers);
* ``playbook letters`` with all cores, for every size (default 1,000 and 10,000).

Rates are whole-command wall time (start-up, checking the file, manifest included)
for ``playbook letters``. Memory is sampled every 50 ms over the whole process tree:
the peak sum of PSS (shared pages split among the processes sharing them: the memory
really used), the peak sum of RSS (shared pages counted in every process) and the
largest single process.

    .venv/bin/python bench/letters.py                       # 1,000 and 10,000
    .venv/bin/python bench/letters.py --sizes 200 --single-max 200 --baseline-max 100

Prints a Markdown table (for docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = "客户名称,联系人,地址,合同编号,发票号码,开票日期,到期日,金额,已付金额\n"


def make_csv(path: Path, customers: int) -> int:
    """A GBK file like an ERP export; returns the number of rows."""
    rows = 0
    with path.open("w", encoding="gbk", newline="") as handle:
        handle.write(HEADER)
        for i in range(customers):
            name = f"测试{i:05d}商贸有限公司"
            for k in range(1 + i % 3):
                amount = f"{(i * 37 + k * 1009) % 90000 + 1000}.{(i + k) % 100:02d}"
                paid = "0" if k else f"{(i % 5) * 100}"
                handle.write(
                    f"{name},王经理,上海市示例区测试路{i % 500}号,HT-{i:05d},"
                    f"{26000000 + i * 3 + k},2026-0{1 + k}-05,2026-0{2 + k}-05,{amount},{paid}\n"
                )
                rows += 1
    return rows


def tree_memory(root: int) -> tuple[int, int, int]:
    """Sums of RSS and of PSS, and the largest single RSS (bytes), over ``root`` and all
    its descendants.

    RSS counts pages shared between processes (the workers fork from one server) once per
    process; PSS splits them among the sharers, so its sum is the memory really used."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, pss, largest, todo = 0, 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        pss += _pss(pid)
        todo.extend(children.get(pid, []))
    return total, pss, largest


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss, self.largest, self.running = pid, 0, 0, 0, True

    def run(self) -> None:
        while self.running:
            rss, pss, largest = tree_memory(self.pid)
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            self.largest = max(self.largest, largest)
            time.sleep(0.05)


@dataclass
class Result:
    label: str
    customers: int
    letters: int
    seconds: float
    peak_tree_mb: float
    peak_pss_mb: float
    max_single_mb: float

    @property
    def rate(self) -> float:
        return self.letters / self.seconds if self.seconds else 0.0


def measured(command: list[str], show: bool) -> tuple[float, float, float, float, str]:
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=None if show else subprocess.DEVNULL,
        text=True,
    )
    sampler = Sampler(process.pid)
    sampler.start()
    out, _ = process.communicate()
    seconds = time.perf_counter() - start
    sampler.running = False
    sampler.join()
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    mb = 2**20
    return seconds, sampler.peak / mb, sampler.peak_pss / mb, sampler.largest / mb, out


def run_letters(csv: Path, customers: int, jobs: int, label: str, show: bool) -> Result:
    out = Path(tempfile.mkdtemp(prefix="bench-letters-")) / "out"
    command = [
        sys.executable,
        "-m",
        "generator",
        "--project",
        str(REPO),
        "letters",
        str(csv),
        "--template",
        "reminder-1",
        "--date",
        "2026-12-01",
        "--out",
        str(out),
        "--jobs",
        str(jobs),
    ]
    seconds, tree, pss, single, _ = measured(command, show)
    letters = sum(1 for _ in (out / "manifest.csv").open(encoding="utf-8-sig")) - 1
    shutil.rmtree(out.parent, ignore_errors=True)
    return Result(label, customers, letters, seconds, tree, pss, single)


def run_baseline(csv: Path, limit: int) -> Result:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--baseline-worker",
        str(csv),
        str(limit),
    ]
    _seconds, tree, pss, single, out = measured(command, False)
    data = json.loads(out.strip().splitlines()[-1])
    return Result("plain WeasyPrint, 1 process", limit, data["letters"], data["seconds"], tree, pss, single)


def baseline_worker(csv: Path, limit: int) -> None:
    """Render the same HTML as ``playbook letters``; time only WeasyPrint's write_pdf()."""
    import weasyprint

    from generator.cases import read_cases
    from generator.letters import context as ctx
    from generator.letters.render import letter_context, letter_env, render_html
    from generator.project import Project
    from generator.session import open_session

    project = Project.at(REPO)
    env = letter_env(project)
    session = open_session(project, playbook=False)
    request = ctx.Request(template="reminder-1", fmt="pdf", letter_date=ctx.date(2026, 12, 1))
    spent, letters = 0.0, 0
    for seq, case in enumerate(read_cases(csv, project), start=1):
        if letters >= limit:
            break
        if case.outstanding <= 0:
            continue
        context = letter_context(session, env, case, request, seq=seq, reference=f"第{seq}号")
        html = render_html(project, env, "reminder-1", context)
        start = time.perf_counter()
        weasyprint.HTML(string=html, base_url=str(REPO)).write_pdf()
        spent += time.perf_counter() - start
        letters += 1
    print(json.dumps({"letters": letters, "seconds": spent}))


def table(results: list[Result], base: Result) -> str:
    lines = [
        f"Machine: {os.cpu_count()} cores; template reminder-1 (PDF, one page each).",
        "",
        "| run | customers | letters | seconds | letters/s | × plain WeasyPrint "
        "| peak memory, whole tree (PSS) | (RSS sum) | largest process |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.label} | {r.customers:,} | {r.letters:,} | {r.seconds:.1f} | {r.rate:.1f} | "
            f"{r.rate / base.rate:.2f}× | {r.peak_pss_mb:.0f} MB | {r.peak_tree_mb:.0f} MB | "
            f"{r.max_single_mb:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="customers per run (comma-separated)")
    parser.add_argument("--baseline-max", type=int, default=1000, help="letters for the WeasyPrint rate")
    parser.add_argument("--single-max", type=int, default=1000, help="customers for the --jobs 1 rate")
    parser.add_argument("--quiet", action="store_true", help="hide the progress bars")
    parser.add_argument("--baseline-worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_worker:
        baseline_worker(Path(args.baseline_worker[0]), int(args.baseline_worker[1]))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="bench-letters-data-"))
    try:
        files = {}
        for n in sorted({*sizes, min(args.single_max, max(sizes))}):
            files[n] = folder / f"customers-{n}.csv"
            rows = make_csv(files[n], n)
            print(f"generated {n:,} customers ({rows:,} invoice rows)", file=sys.stderr)
        base = run_baseline(files[max(sizes)], min(args.baseline_max, max(sizes)))
        print(f"plain WeasyPrint: {base.rate:.1f} letters/s", file=sys.stderr)
        results = [base]
        single = min(args.single_max, max(sizes))
        results.append(run_letters(files[single], single, 1, "playbook letters --jobs 1", not args.quiet))
        print(f"{results[-1].label}: {results[-1].rate:.1f} letters/s", file=sys.stderr)  # kept if cut short
        for n in sizes:
            results.append(
                run_letters(
                    files[n],
                    n,
                    os.cpu_count() or 1,
                    f"playbook letters, {os.cpu_count()} workers",
                    not args.quiet,
                )
            )
            print(f"{results[-1].label}, {n:,}: {results[-1].rate:.1f} letters/s", file=sys.stderr)
        print(table(results, base))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
