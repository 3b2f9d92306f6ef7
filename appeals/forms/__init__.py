"""Forms, one module per family of views (``appeals/views/``): filing, reports, review,
liaison, audit, imports, verify, statistics, and the widgets they share."""
