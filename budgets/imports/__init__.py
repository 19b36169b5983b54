"""Importing a publication's tables from spreadsheets filled by finance staff.

layouts  the official tables as template sheets: budgets.layouts for the publication's year,
         unit and the unit's projects of that year (one project table per project);
sheets   reading an uploaded XLSX or CSV (UTF-8, GBK/GB18030) into rows of text, and
         writing the XLSX templates;
parsing  rows of text → a table the fixture builder understands, with every problem listed by
         sheet, row and column in plain Chinese, and every repaired typing slip;
changes  what the import changes in the draft publication, and writing it in one transaction.
"""
