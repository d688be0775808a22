"""Excel in the application: the researchers' benchmark workbook and CSV, the municipality template round-trip
and the administrators' bulk import of past years. The workbooks themselves are written and read by the pure
``reports.excel``; this package loads the data, checks who may do what, and stores uploads through the same
validation and storage as the web form. Research downloads are built off the web request and stored
(``stored``: the files of each compiled year, and which file is current; ``builds``: anything else, built by the
scheduler on request)."""
