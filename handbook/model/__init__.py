"""The data model: the models declared once (``models``), YAML with line numbers (``yamlfile``), loading and
validation (``loader``), values and standards in time (``timeline``), the English terminology checker
(``terminology``) and the bureau's words for Chinese segmentation (``words``)."""
