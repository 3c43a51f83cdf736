"""The clinic's page: ``build.py serve`` opens the handout library in a browser.

A channel beside the pipeline, calling it — never a second pipeline:

- :mod:`.library` loads the project and its topics once, reloads them when a file changes,
  and holds the one lock every build runs under;
- :mod:`.order` reads the page's form into pipeline options, with an error per field;
- :mod:`.make` builds what a button asks for in memory: a handout, a packet, a preview;
- :mod:`.mail` sends the handouts through the email channel (:mod:`handouts.email`);
- :mod:`.security` sets the rules that keep patients' data safe; :mod:`.app` is the Flask
  application factory with the page's views; :mod:`.serve` runs it with waitress.
"""
