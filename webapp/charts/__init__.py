"""Plotly figures: ``filling`` (schedule Gantt, comparison bars), ``shop`` (Gantt by work
center and by order, weekly load), ``common`` (escaping, bar durations)."""
