/** A product's stock-keeping unit, the key shared by catalog, inventory and orders: `SKU-0001`. */
export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{2,31}$/;

export const SKU_FORMAT_MESSAGE = 'must be 3 to 32 characters A-Z, 0-9 or "-", starting with a letter or digit';
