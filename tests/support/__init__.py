"""What the tests share: factories, the citizens' drivers, page reading, files, URL walking.

Test modules import their helpers from here and never from one another, so a test file
can move or go without breaking another; bench/ drives the site with the same helpers.
"""
