import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** Values stay strings (keys like 1000-0001 or ZIP 0110 must not become numbers); attributes are kept. */
export function createXmlParser(arrayTags: readonly string[]) {
  const arrays = new Set(arrayTags);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    cdataPropName: false,
    isArray: (name) => arrays.has(name),
  });
}

export const xmlBuilder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: false,
  suppressEmptyNode: false,
});

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" ?>\n';

export function toXml(root: Record<string, unknown>): string {
  return XML_DECLARATION + xmlBuilder.build(root);
}
