"""The reviewer web workbench (``detector serve``): screening form and results, registry browser, merger
study, decisions with an audit trail, and a JSON API. Build the app with :func:`detector.web.app.create_app`."""
