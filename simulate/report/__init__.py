"""Results for people and programs: JSON-ready dictionaries (``json_dicts``), CSV tables
(``csv_tables``) and atomic file writes (``atomic``). Nothing here computes seats or prints;
the terminal tables are the command line's (``simulate.cli.tables``), the words they share
are ``simulate.wording``'s."""

from simulate.report.atomic import check_file, check_folder, write_bytes, write_json, write_text
from simulate.report.csv_tables import (
    compare_csv,
    lists_csv,
    metrics_csv,
    run_csv_tables,
    sweep_csv,
    write_csv_files,
)
from simulate.report.json_dicts import (
    SCHEMA,
    allocation_dict,
    compare_dict,
    montecarlo_report_dict,
    run_dict,
    sweep_report_dict,
)

__all__ = [
    "SCHEMA",
    "allocation_dict",
    "check_file",
    "check_folder",
    "compare_csv",
    "compare_dict",
    "lists_csv",
    "metrics_csv",
    "montecarlo_report_dict",
    "run_csv_tables",
    "run_dict",
    "sweep_csv",
    "sweep_report_dict",
    "write_bytes",
    "write_csv_files",
    "write_json",
    "write_text",
]
