"""The IMV as files. ``board`` is the status board of a round (CSV, XLSX, the RBOP board pack),
``dashboard`` the RBOP dashboard (CSV, XLSX, PDF); ``spreadsheet`` and ``pdf`` hold what their files
share. Everything here reads; nothing writes.

openpyxl and reportlab load only when a file is asked for: the views import these modules inside
the download views, so this package's ``__init__`` imports nothing.
"""
