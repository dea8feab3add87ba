import { describe, expect, it } from 'vitest';
import { orderTotals } from '../../domain/order-totals';

describe('orderTotals', () => {
  it('sums lines in minor units and rounds tax half up', () => {
    const lines = [
      { sku: 'a', description: 'a', quantity: 3, unitPriceMinor: 1250 },
      { sku: 'b', description: 'b', quantity: 1, unitPriceMinor: 9900 },
    ];
    expect(orderTotals({ lines, taxRateBasisPoints: 2000 })).toEqual({
      subtotalMinor: 13650,
      taxMinor: 2730,
      totalMinor: 16380,
    });
    expect(
      orderTotals({
        lines: [{ sku: 'c', description: 'c', quantity: 1, unitPriceMinor: 5 }],
        taxRateBasisPoints: 1000,
      }),
    ).toEqual({
      subtotalMinor: 5,
      taxMinor: 1,
      totalMinor: 6,
    });
    expect(orderTotals({ lines })).toMatchObject({ taxMinor: 0, totalMinor: 13650 });
  });

  it('rounds tax exactly where subtotal times rate passes 2^53 (a float product is off by one minor unit)', () => {
    const lines = [{ sku: 'big', description: 'big', quantity: 2, unitPriceMinor: 265_712_831_847_397 }];
    // 531425663694794 x 4200 / 10000 = 223198778751813.47 -> 223198778751813
    expect(orderTotals({ lines, taxRateBasisPoints: 4200 })).toEqual({
      subtotalMinor: 531_425_663_694_794,
      taxMinor: 223_198_778_751_813,
      totalMinor: 754_624_442_446_607,
    });
  });

  it('refuses totals beyond exact integer arithmetic', () => {
    expect(() =>
      orderTotals({ lines: [{ sku: 'x', description: 'x', quantity: 1_000_000, unitPriceMinor: 1_000_000_000_000 }] }),
    ).toThrow(RangeError);
  });
});
