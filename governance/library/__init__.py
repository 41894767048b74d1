"""Reading, validating and writing the library's versioned files (see docs/library-format.md).

Nothing in this package touches the database: it turns files into checked, plain data
(``LibraryData``) and back. ``governance.services`` writes that data to the database.
"""
