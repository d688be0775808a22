"""Excel in the application: the researchers' benchmark workbook and CSV, the municipality template round-trip
and the administrators' bulk import of past years. The workbooks themselves are written and read by the pure
``reports.excel``; this package loads the data, checks who may do what, and stores uploads through the same
validation and storage as the web form."""
