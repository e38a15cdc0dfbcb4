"""A page's view function (poc_data.views) cached across reruns, like `memo_figure`: the figure kept as a dict."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace

import plotly.graph_objects as go

from poc_data.ui.data import cached_in_language
from poc_data.views import View

_built: dict[Callable, Callable] = {}


def memo_view(view_function: Callable[..., View]) -> Callable[..., View]:
    """`view_function` cached by its arguments' content and the session's language (built once per process), its
    figure kept as a plain dict: a cached Figure object is validated again by plotly each time it is read back."""
    if view_function not in _built:

        @functools.wraps(view_function)
        def with_figure_dict(*args, **kwargs) -> View:
            view = view_function(*args, **kwargs)
            return replace(view, figure=view.figure.to_dict()) if isinstance(view.figure, go.Figure) else view

        _built[view_function] = cached_in_language(with_figure_dict)
    return _built[view_function]
