# English dates as the pages have always printed them: "1 Sep 2018" in lists and tables (the short
# formats), "1 September 2018" where a date stands alone; not Django's American "Sept. 1, 2018".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
