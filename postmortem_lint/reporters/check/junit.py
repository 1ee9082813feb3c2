"""JUnit XML: one test suite per file with findings, one failing test case per finding.

A clean run is one passing test case, so that CI dashboards show the check ran.
Characters XML 1.0 cannot carry (control bytes from a broken file) become U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TextIO

from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.reporters.subjects import CheckReport

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: CheckReport, out: TextIO) -> None:
    diagnostics = report.diagnostics
    root = ET.Element("testsuites", name="pmlint", tests=str(max(1, len(diagnostics))), failures=str(len(diagnostics)))
    for path, group in groupby(diagnostics, key=lambda d: d.path):
        _suite(root, path, list(group))
    if not diagnostics:
        suite = ET.SubElement(root, "testsuite", name="pmlint", tests="1", failures="0", errors="0", skipped="0")
        ET.SubElement(suite, "testcase", name="pmlint", classname="pmlint")
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode") + "\n")


def _suite(root: ET.Element, path: str, diagnostics: list[Diagnostic]) -> None:
    count = str(len(diagnostics))
    suite = ET.SubElement(root, "testsuite", name=_xml(path), tests=count, failures=count, errors="0", skipped="0")
    for d in diagnostics:
        where = f"{d.line}:{d.column}" if d.column else str(d.line)
        name = f"{d.code} {d.name} ({where})"
        case = ET.SubElement(suite, "testcase", name=name, classname=_xml(path), file=_xml(path), line=str(d.line))
        failure = ET.SubElement(case, "failure", message=_xml(d.message), type=d.severity)
        failure.text = _xml(f"{path}:{where}: {d.code} [{d.severity}] {d.message}")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
