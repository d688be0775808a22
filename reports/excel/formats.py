"""The number formats of the research exports (Excel shows them; the CSV files write plain numbers)."""

from __future__ import annotations

from forms.schema import FieldType

EUR = '#,##0.00 [$€-426]'
PERCENT = '0.0" %"'  # values are 0–100: Excel's "%" format would multiply them by 100
INTEGER = "#,##0"
DECIMAL = "0.0##"
DATE = "yyyy-mm-dd"
PP = '+0.0" pp";-0.0" pp";0.0" pp"'  # changes of shares, in percentage points
DIFFERENCE = "+#,##0.00;-#,##0.00;0.00"
FORMAT_OF_TYPE = {FieldType.INTEGER: INTEGER, FieldType.MONEY: EUR, FieldType.PERCENT: PERCENT,
                   FieldType.DECIMAL: DECIMAL, FieldType.DATE: DATE}

