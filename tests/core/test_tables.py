"""initlab.tables: the small live tables of the chapters."""

import numpy as np
import pytest

from initlab.tables import Table, html_table


def test_table_renders_html_and_markdown_with_formatted_numbers():
    table = Table(["activation", "std"], [["tanh", 0.123456], ["relu", np.float64(2.0)]],
                  caption="Recommended std")
    html = table._repr_html_()
    assert "<th>activation</th>" in html and "<td>0.123</td>" in html and "<caption>" in html
    assert table.to_markdown().splitlines()[2] == "| tanh | 0.123 |"


def test_cells_are_escaped():
    assert "&lt;b&gt;" in html_table(["x"], [["<b>"]])


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="at least one column"):
        Table([], [])
    with pytest.raises(ValueError, match="row 0 has 1 cells"):
        Table(["a", "b"], [["only one"]])
