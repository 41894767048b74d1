"""The PDF alignment report: plain data first (context), then one template, rendered by
WeasyPrint with a safe URL fetcher and a per-report subset of the CJK font."""
