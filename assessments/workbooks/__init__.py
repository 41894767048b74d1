"""Answers that travel as a spreadsheet: an assessment as an .xlsx workbook, filled offline and
uploaded again.

``build`` writes the workbook from the assessment's record; ``read`` checks an uploaded one
completely (size, zip, signature, items, the answer rules) before anything is planned;
``plan`` compares it with the saved answers for the preview; the confirmation saves through
``answers_save``, with the version check of the forms.
"""
