import type { Product } from './product';

/** The catalog's shelves: each category with the product names it stocks and a base price in cents. */
const SHELVES: readonly { category: string; basePriceCents: number; names: readonly string[] }[] = [
  {
    category: 'kitchen',
    basePriceCents: 1490,
    names: ['Chef Knife', 'Cutting Board', 'Espresso Cup Set', 'Cast Iron Pan', 'Pepper Mill', 'Tea Kettle', 'Salad Bowl', 'Measuring Spoons', 'Spice Rack', 'Oven Mitts'],
  },
  {
    category: 'office',
    basePriceCents: 990,
    names: ['Notebook A5', 'Fountain Pen', 'Desk Lamp', 'Monitor Stand', 'Cable Organizer', 'Sticky Notes', 'Paper Tray', 'Desk Mat', 'Stapler', 'Whiteboard'],
  },
  {
    category: 'outdoor',
    basePriceCents: 2490,
    names: ['Trail Backpack', 'Water Bottle', 'Camping Mug', 'Head Torch', 'Rain Poncho', 'Folding Stool', 'Picnic Blanket', 'Hiking Socks', 'Compass', 'First Aid Kit'],
  },
  {
    category: 'electronics',
    basePriceCents: 1990,
    names: ['USB-C Cable', 'Wireless Mouse', 'Power Bank', 'Bluetooth Speaker', 'Phone Stand', 'Travel Adapter', 'Earbuds', 'Webcam Cover', 'Card Reader', 'Charging Dock'],
  },
  {
    category: 'home',
    basePriceCents: 1290,
    names: ['Scented Candle', 'Throw Pillow', 'Wall Clock', 'Photo Frame', 'Plant Pot', 'Doormat', 'Bath Towel', 'Storage Basket', 'Table Runner', 'Coat Hook'],
  },
  {
    category: 'toys',
    basePriceCents: 890,
    names: ['Wooden Puzzle', 'Kite', 'Jigsaw 500', 'Yo-Yo', 'Building Blocks', 'Card Game', 'Plush Fox', 'Marble Run', 'Spinning Top', 'Magnetic Tiles'],
  },
];

/** The sku of the n-th sample product (1-based): `SKU-0001`. */
const skuOf = (n: number): string => `SKU-${String(n).padStart(4, '0')}`;

/** 60 products across six categories: deterministic, so seeds and tests can name them. */
export function sampleProducts(): Product[] {
  return SHELVES.flatMap((shelf, shelfIndex) =>
    shelf.names.map((name, nameIndex) => {
      const n = shelfIndex * shelf.names.length + nameIndex + 1;
      return {
        sku: skuOf(n),
        name,
        description: `${name} from the ${shelf.category} range.`,
        category: shelf.category,
        // Spread prices over the shelf: the base plus 0..9 steps of 2.50 EUR.
        priceCents: shelf.basePriceCents + ((n * 7) % 10) * 250,
        currency: 'EUR',
      };
    }),
  );
}

/** The sku whose stock is kept low so out-of-stock answers are easy to demonstrate. */
export const LOW_STOCK_SKU = 'SKU-0060';

/** Stock for every sample product: 100 each, except 3 of `LOW_STOCK_SKU`. */
export function sampleStock(): { sku: string; available: number }[] {
  return sampleProducts().map(({ sku }) => ({ sku, available: sku === LOW_STOCK_SKU ? 3 : 100 }));
}
