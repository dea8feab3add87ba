/** Seller and buyer (BG-4 / BG-7) of a UBL document: name, VAT and other tax ids, legal id, endpoint, address. */
import type { Invoice } from '../../contracts/invoice';
import { holding, type FieldReader } from './fields';
import type { XmlElement } from './xml-tree';

/** Reads `cac:AccountingSupplierParty` or `cac:AccountingCustomerParty`. */
export function readParty(r: FieldReader, root: XmlElement, role: string, pointer: string): Invoice['supplier'] {
  const wrapper = r.required(root, 'cac', role, pointer);
  const party = wrapper && r.required(wrapper, 'cac', 'Party', pointer);
  if (!party) return { name: '' };
  // Each at most once over all of them (UBL-SR-09 .. -18, -40), not necessarily in the first.
  const registration = holding(party, 'PartyLegalEntity', 'RegistrationName')?.one('cbc', 'RegistrationName');
  const trading = holding(party, 'PartyName', 'Name')?.one('cbc', 'Name');
  const seller = role === 'AccountingSupplierParty';
  // The name (BT-27, BT-44) is the registration name; without one, the trading name is read as the name, as
  // Peppol's own Greek example has it (CEN's BR-06/BR-07 ask for the registration name).
  const nameEl = registration?.text ? registration : trading;
  if (!nameEl?.text)
    r.problem(
      party.pathOf('cac', 'PartyLegalEntity') + '/cbc:RegistrationName',
      'is required (or cac:PartyName/cbc:Name)',
      seller ? 'BR-06' : 'BR-07',
    );
  if (nameEl) r.sources[`${pointer}/name`] = nameEl.path;
  const result: Invoice['supplier'] = { name: nameEl?.text ?? '' };
  // PartyTaxScheme with scheme VAT is the VAT id (BT-31/48); another scheme is a tax registration id (BT-32).
  for (const scheme of party.all('cac', 'PartyTaxScheme')) {
    const id = scheme.one('cbc', 'CompanyID');
    if (!id?.text) continue;
    const isVat = (scheme.one('cac', 'TaxScheme')?.one('cbc', 'ID')?.text ?? 'VAT') === 'VAT';
    const field = isVat ? 'vatId' : 'taxRegistrationId';
    if (result[field] !== undefined) continue;
    r.sources[`${pointer}/${field}`] = id.path;
    result[field] = id.text;
  }
  const identifier = r.text(party.one('cac', 'PartyIdentification'), 'ID', `${pointer}/identifier`);
  if (identifier) result.identifier = identifier;
  const legalId = r.text(
    holding(party, 'PartyLegalEntity', 'CompanyID'),
    'CompanyID',
    `${pointer}/legalRegistrationId`,
  );
  if (legalId) result.legalRegistrationId = legalId;
  const endpoint = r.text(party, 'EndpointID', `${pointer}/endpointId`);
  if (endpoint) result.endpointId = endpoint;
  const address = r.only(party, 'cac', 'PostalAddress');
  if (address) {
    const country = r.only(r.only(address, 'cac', 'Country'), 'cbc', 'IdentificationCode');
    if (!country?.text)
      r.problem(
        address.pathOf('cac', 'Country') + '/cbc:IdentificationCode',
        'is required in a postal address',
        seller ? 'BR-09' : 'BR-11',
      );
    else r.sources[`${pointer}/address/country`] = country.path;
    result.address = { country: country?.text ?? '', ...addressLines(r, address, `${pointer}/address`) };
  }
  return result;
}

/** An address without its country: what every address of EN 16931 (BG-5, BG-8, BG-12, BG-15) has besides. */
export type AddressLines = Omit<NonNullable<Invoice['supplier']['address']>, 'country'>;

/**
 * The lines of a `cac:PostalAddress` or a deliver-to `cac:Address`: street (line 1), additional street (line 2), the
 * `cbc:Line` of its `cac:AddressLine` (line 3: UBL allows several, EN 16931 one, and a second is refused by
 * UBL-SR-51), city, post code and country subdivision.
 */
export function addressLines(r: FieldReader, address: XmlElement, pointer: string): AddressLines {
  const result: AddressLines = {};
  const fields = [
    ['StreetName', 'street'],
    ['AdditionalStreetName', 'additionalStreet'],
    ['CityName', 'city'],
    ['PostalZone', 'postalCode'],
    ['CountrySubentity', 'countrySubdivision'],
  ] as const;
  for (const [element, field] of fields) {
    const value = r.text(address, element, `${pointer}/${field}`);
    if (value) result[field] = value;
  }
  const line = r.text(r.only(address, 'cac', 'AddressLine'), 'Line', `${pointer}/addressLine3`);
  if (line) result.addressLine3 = line;
  return result;
}
