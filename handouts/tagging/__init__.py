"""Tagged PDF: the logical structure a screen reader needs, drawn with the page.

ReportLab has no tagging API, so this is a thin layer of our own: flowables say which
element of the page they draw (:mod:`.flowables`), a canvas marks their content and builds the
structure tree as it draws (:mod:`.canvas`, :mod:`.structure`), the tree is written with
ReportLab's own PDF objects when the file is saved (:mod:`.objects`), and :mod:`.coverage`
proves that nothing painted is left outside marked content or an artifact.

Only :mod:`.structure` can be imported without importing ReportLab.
"""
