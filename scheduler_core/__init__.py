"""Production Scheduling Studio scheduling package.

Pure Python + OR-Tools. No Streamlit, no database imports: the app, the CLI and the
benchmarks all use this package in-process.
"""

__version__ = "0.1.0"
