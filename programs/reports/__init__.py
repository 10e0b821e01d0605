"""The annual report of a program's school year, in one place: the choice of program
and year every report page shares (``params``), the figures as far as the user's scope
allows (``figures``, with ``rows`` and ``units``), server-rendered charts (``charts``),
the annual summary workbook and its CSV sheets (``workbook``), the letterhead and
signature of printed documents (``letterhead``), the pages (``views``: dashboard,
printable report, workbook downloads; ``row_views``: the rows behind each figure) and
their URLs (``urls``, under /reports/)."""
