"""Reporting: the figures of a program's school year as far as the user's scope
allows (``figures``), server-rendered charts (``charts``), the annual summary
workbook and its CSV sheets (``workbook``), and the choice of program and year
every report page shares (``params``)."""
