# French dates as French administration writes them: « 1 septembre 2018 », and in lists and
# tables the abbreviated month: « 1 sept. 2018 ».
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y H:i"
