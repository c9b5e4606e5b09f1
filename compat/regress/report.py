"""The report folder and what goes into it: an output folder that is new, empty or an earlier
report of the same tool (replaced), atomic writes, the verdict table (terminal and Markdown) and
the Markdown sections regress and compare share."""

import contextlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from compat.regress.rules import FAIL, PASS
from compat.regress.stats import fmt
from compat.regress.usage import UsageError

EQUIVALENCE_NOTE = (
    "With K seeds a side the smallest attainable two-sided p is 2/C(2K, K) (K=3: 0.1, K=4: 0.029, "
    "K=5: 0.0079, K=6: 0.0022): below K=5 the test cannot flag at 0.01, and at K=5 it flags only a "
    "complete separation of the two runtimes' seeds. A pass therefore means \"no difference this K "
    "can detect\", not equivalence.")


# --- the folder -------------------------------------------------------------------------------

@contextlib.contextmanager
def atomic(target):
    """Yield a temp path next to `target` (same suffix); move it over `target` on success."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(dir=str(target.parent), prefix="." + target.stem + ".",
                               suffix=target.suffix or ".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)        # mkstemp makes 0600; give the file the usual permissions
    try:
        yield Path(tmp)
        os.replace(tmp, str(target))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(target, text):
    with atomic(target) as tmp:
        with open(str(tmp), "w", encoding="utf-8") as f:
            f.write(text)


def write_json(target, data):
    write_text(target, json.dumps(data, indent=1) + "\n")


def is_report(folder, marker, schema_prefix):
    """Does `folder` hold an earlier report of this tool (its marker file, or its report.json)?"""
    if (folder / marker).is_file():
        return True
    try:
        return json.loads((folder / "report.json").read_text(encoding="utf-8")).get("schema", "") \
            .startswith(schema_prefix)
    except (OSError, ValueError, AttributeError):
        return False


def output_folder(out, marker, schema_prefix, tool, default_base):
    """--out -> (absolute folder, whether it holds an earlier report to replace); without --out a
    new timestamped folder under default_base. UsageError before anything is written."""
    if out:
        folder = Path(out).absolute()
        if folder.exists() and not folder.is_dir():
            raise UsageError("--out %s is a file, not a folder; pass a new or empty folder (or an earlier "
                             "%s report's)" % (out, tool))
        if folder.is_dir() and any(folder.iterdir()):
            if not is_report(folder, marker, schema_prefix):
                raise UsageError("--out %s is not empty and holds no %s report; choose a new or empty "
                                 "folder" % (out, tool))
            return folder, True
        return folder, False
    return timestamped_folder(default_base).absolute(), False


def timestamped_folder(base):
    """A new folder path base/<YYYYmmdd-HHMMSS>[-n] (not created yet); UsageError when base or a
    folder above it is a file."""
    base = Path(base)
    for parent in [p for p in reversed(list(base.parents)) if str(p) != "."] + [base]:
        if parent.exists() and not parent.is_dir():
            raise UsageError("%s is a file, not a folder; move it away or pass --out DIR" % parent)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder, n = base / stamp, 1
    while folder.exists():
        folder, n = base / ("%s-%d" % (stamp, n)), n + 1
    return folder


def prepare_folder(out, replace, marker, command, children):
    """Create `out` (removing an earlier report's `children` when replacing) and write the marker
    first, so an interrupted report is still recognised as one."""
    if replace:
        for child in children:
            p = out / child
            if p.is_dir():
                shutil.rmtree(str(p))
            elif p.exists():
                p.unlink()
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / marker, command + "\n")


# --- tables -----------------------------------------------------------------------------------

def cell(v):
    return "-" if v is None else fmt(v) if isinstance(v, float) else str(v)


def markdown_table(head, body):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
    return "\n".join(lines)


def verdict_table(rows, markdown):
    """The verdict rows with the rule beside each verdict (terminal: on its own indented line)."""
    head = ["runtime", "case", "figure", "published", "min", "median", "max", "verdict", "rule"]
    body = []
    for r in rows:
        figure = r["figure"] or ("sanity: " + r["column"] if r["kind"] == "sanity" else "run")
        verdict = r["verdict"].upper() if r["verdict"] in (PASS, FAIL) else r["verdict"]
        body.append([r["runtime"], r["case"], figure, cell(r["published"]), cell(r["min"]),
                     cell(r["median"]), cell(r["max"]), verdict,
                     r["rule"] + ("; " + r["detail"] if r["detail"] else "")])
    if markdown:
        return markdown_table(head, body)
    head = head[:-1]
    width = [max(len(x) for x in col) for col in zip(head, *[row[:-1] for row in body])]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, width))]
    for row in body:
        out.append("  ".join(c.ljust(w) for c, w in zip(row[:-1], width)).rstrip())
        out.append("      rule: " + row[-1])
    return "\n".join(out)


def equivalence_line(e):
    """One equivalence row as the terminal summary prints it."""
    return "equivalence %s (%s): modern %s vs legacy %s: U=%s p=%s (smallest attainable %s) -> %s" % (
        e["case"], e["column"], ", ".join(fmt(v) for v in e["modern"]), ", ".join(fmt(v) for v in e["legacy"]),
        cell(e["u"]), cell(e["p"]), cell(e["min_attainable_p"]),
        e["verdict"].upper() + (" (p < %g)" % e["alpha"] if e["flagged"] else ""))


# --- Markdown sections ------------------------------------------------------------------------

def runtimes_section(runtimes):
    lines = ["## Runtimes", "", "| runtime | python | tensorflow | numpy | interpreter |", "|---|---|---|---|---|"]
    for r, v in runtimes.items():
        lines.append("| %s | %s | %s | %s | `%s` |" % (r, v["python"], v["tensorflow"], v["numpy"],
                                                       v["interpreter"]))
    return lines + [""]


def equivalence_section(equivalence, alpha):
    if not equivalence:
        return []
    lines = ["## Runtime equivalence (Mann-Whitney U, two-sided, flag p < %g)" % alpha, "",
             "| case | final figure | modern | legacy | U | p | smallest attainable p | verdict |",
             "|---|---|---|---|---|---|---|---|"]
    for e in equivalence:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            e["case"], e["column"], ", ".join(fmt(v) for v in e["modern"]),
            ", ".join(fmt(v) for v in e["legacy"]), cell(e["u"]), cell(e["p"]),
            cell(e["min_attainable_p"]), e["verdict"] + (" (flagged)" if e["flagged"] else "")))
    return lines + ["", EQUIVALENCE_NOTE, ""]


def final_values_section(cases, seeds):
    """Per case and runtime: each seed's final value, wall / CPU time and steps/s."""
    lines = ["## Seeds' final values", ""]
    lines += ["| runtime | case | final figure | " + " | ".join("seed %d" % s for s in seeds)
              + " | wall time per run (s) | CPU time per run (s) | steps/s |",
              "|" + "---|" * (len(seeds) + 6)]
    for case in cases:
        for runtime, runs in case["runs"].items():
            cells = [fmt(r["final"]) + ("" if r["final_step"] is None else " (step %s)" % r["final_step"])
                     if r["ok"] else "FAILED" for r in runs]
            walls = sorted(r["wall_time_s"] for r in runs)
            cpus = sorted(r["cpu_time_s"] for r in runs if r["cpu_time_s"] is not None)
            sps = [r["steps_per_s"] for r in runs if r["steps_per_s"]]
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                runtime, case["case"], case["final_column"], " | ".join(cells),
                "%.1f-%.1f" % (walls[0], walls[-1]) if walls else "-",
                "%.1f-%.1f" % (cpus[0], cpus[-1]) if cpus else "-",
                fmt(sorted(sps)[len(sps) // 2]) if sps else "-"))
    return lines


def failed_runs_section(jobs):
    failed = [j for j in jobs if not j.ok]
    if not failed:
        return []
    lines = ["", "## Failed runs", ""]
    for j in failed:
        lines += ["### %s %s seed %d: %s" % (j.runtime, j.id, j.seed, j.error.split(":")[0]), "",
                  "`%s`" % " ".join(j.cmd), "", "```"] + j.stderr_tail() + ["```", ""]
    return lines
