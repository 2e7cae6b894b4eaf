/* The FtM schema subset we screen, with FtM's `extends` chains, and property names. */
#include <string.h>

#include "model.h"

static const struct {
    const char *name;
    emb_schema parent;
} schemata[EMB_SCHEMA_MAX_] = {
    [EMB_SCHEMA_UNKNOWN] = {"", EMB_SCHEMA_UNKNOWN},
    [EMB_SCHEMA_THING] = {"Thing", EMB_SCHEMA_UNKNOWN},
    [EMB_SCHEMA_LEGAL_ENTITY] = {"LegalEntity", EMB_SCHEMA_THING},
    [EMB_SCHEMA_PERSON] = {"Person", EMB_SCHEMA_LEGAL_ENTITY},
    [EMB_SCHEMA_ORGANIZATION] = {"Organization", EMB_SCHEMA_LEGAL_ENTITY},
    [EMB_SCHEMA_COMPANY] = {"Company", EMB_SCHEMA_ORGANIZATION},
    [EMB_SCHEMA_PUBLIC_BODY] = {"PublicBody", EMB_SCHEMA_ORGANIZATION},
    [EMB_SCHEMA_VEHICLE] = {"Vehicle", EMB_SCHEMA_THING},
    [EMB_SCHEMA_VESSEL] = {"Vessel", EMB_SCHEMA_VEHICLE},
    [EMB_SCHEMA_AIRPLANE] = {"Airplane", EMB_SCHEMA_VEHICLE},
};

const char *emb_schema_name(emb_schema schema)
{
    if ((unsigned)schema >= EMB_SCHEMA_MAX_)
        return "";
    return schemata[schema].name;
}

emb_schema emb_schema_from_name(const char *name, size_t len)
{
    if (name == NULL)
        return EMB_SCHEMA_UNKNOWN;
    for (int i = 1; i < EMB_SCHEMA_MAX_; i++) {
        if (strlen(schemata[i].name) == len && memcmp(schemata[i].name, name, len) == 0)
            return (emb_schema)i;
    }
    return EMB_SCHEMA_UNKNOWN;
}

int emb_schema_is_a(emb_schema schema, emb_schema ancestor)
{
    if ((unsigned)schema >= EMB_SCHEMA_MAX_ || ancestor == EMB_SCHEMA_UNKNOWN)
        return 0;
    for (emb_schema s = schema; s != EMB_SCHEMA_UNKNOWN; s = schemata[s].parent) {
        if (s == ancestor)
            return 1;
    }
    return 0;
}

static const char *const kind_names[EMB_NAME_KIND_MAX_] = {
    [EMB_NAME_PRIMARY] = "name",
    [EMB_NAME_ALIAS] = "alias",
    [EMB_NAME_WEAK_ALIAS] = "weakAlias",
    [EMB_NAME_PREVIOUS] = "previousName",
    [EMB_NAME_ORIGINAL_SCRIPT] = "originalScript",
};

const char *emb_name_kind_name(emb_name_kind kind)
{
    if ((unsigned)kind >= EMB_NAME_KIND_MAX_)
        return "";
    return kind_names[kind];
}

static const char *const prop_names[EMB_PROP_MAX_] = {
    [EMB_PROP_BIRTH_DATE] = "birthDate",
    [EMB_PROP_DEATH_DATE] = "deathDate",
    [EMB_PROP_BIRTH_PLACE] = "birthPlace",
    [EMB_PROP_BIRTH_COUNTRY] = "birthCountry",
    [EMB_PROP_NATIONALITY] = "nationality",
    [EMB_PROP_CITIZENSHIP] = "citizenship",
    [EMB_PROP_COUNTRY] = "country",
    [EMB_PROP_JURISDICTION] = "jurisdiction",
    [EMB_PROP_GENDER] = "gender",
    [EMB_PROP_TITLE] = "title",
    [EMB_PROP_POSITION] = "position",
    [EMB_PROP_FATHER_NAME] = "fatherName",
    [EMB_PROP_MOTHER_NAME] = "motherName",
    [EMB_PROP_PASSPORT_NUMBER] = "passportNumber",
    [EMB_PROP_ID_NUMBER] = "idNumber",
    [EMB_PROP_REGISTRATION_NUMBER] = "registrationNumber",
    [EMB_PROP_TAX_NUMBER] = "taxNumber",
    [EMB_PROP_INN_CODE] = "innCode",
    [EMB_PROP_OGRN_CODE] = "ogrnCode",
    [EMB_PROP_KPP_CODE] = "kppCode",
    [EMB_PROP_OKPO_CODE] = "okpoCode",
    [EMB_PROP_LEI_CODE] = "leiCode",
    [EMB_PROP_SWIFT_BIC] = "swiftBic",
    [EMB_PROP_IMO_NUMBER] = "imoNumber",
    [EMB_PROP_MMSI] = "mmsi",
    [EMB_PROP_CALL_SIGN] = "callSign",
    [EMB_PROP_FLAG] = "flag",
    [EMB_PROP_VESSEL_TYPE] = "type",
    [EMB_PROP_BUILD_DATE] = "buildDate",
    [EMB_PROP_REGISTRATION_COUNTRY] = "registrationCountry",
    [EMB_PROP_CRYPTO_WALLET] = "cryptoWallet",
    [EMB_PROP_EMAIL] = "email",
    [EMB_PROP_PHONE] = "phone",
    [EMB_PROP_WEBSITE] = "website",
    [EMB_PROP_ADDRESS] = "address",
    [EMB_PROP_INCORPORATION_DATE] = "incorporationDate",
    [EMB_PROP_LEGAL_FORM] = "legalForm",
    [EMB_PROP_SECTOR] = "sector",
    [EMB_PROP_PROGRAM] = "program",
    [EMB_PROP_AUTHORITY] = "authority",
    [EMB_PROP_LISTING_DATE] = "listingDate",
    [EMB_PROP_REASON] = "reason",
    [EMB_PROP_NOTES] = "notes",
    [EMB_PROP_SOURCE_URL] = "sourceUrl",
    [EMB_PROP_TOPICS] = "topics",
    [EMB_PROP_UNRESOLVED] = "unresolved",
};

const char *emb_prop_name(emb_prop prop)
{
    if ((unsigned)prop >= EMB_PROP_MAX_)
        return "";
    return prop_names[prop];
}

emb_prop emb_prop_from_name(const char *name, size_t len)
{
    if (name == NULL)
        return EMB_PROP_MAX_;
    for (int i = 0; i < EMB_PROP_MAX_; i++) {
        if (strlen(prop_names[i]) == len && memcmp(prop_names[i], name, len) == 0)
            return (emb_prop)i;
    }
    return EMB_PROP_MAX_;
}

int emb__prop_is_country(emb_prop prop)
{
    switch (prop) {
    case EMB_PROP_NATIONALITY:
    case EMB_PROP_CITIZENSHIP:
    case EMB_PROP_COUNTRY:
    case EMB_PROP_JURISDICTION:
    case EMB_PROP_BIRTH_COUNTRY:
    case EMB_PROP_FLAG:
    case EMB_PROP_REGISTRATION_COUNTRY:
        return 1;
    default:
        return 0;
    }
}

int emb__prop_is_date(emb_prop prop)
{
    switch (prop) {
    case EMB_PROP_BIRTH_DATE:
    case EMB_PROP_DEATH_DATE:
    case EMB_PROP_LISTING_DATE:
    case EMB_PROP_INCORPORATION_DATE:
    case EMB_PROP_BUILD_DATE:
        return 1;
    default:
        return 0;
    }
}

int emb_prop_is_identifier(emb_prop prop)
{
    return emb__prop_is_identifier(prop);
}

int emb__prop_is_identifier(emb_prop prop)
{
    switch (prop) {
    case EMB_PROP_PASSPORT_NUMBER:
    case EMB_PROP_ID_NUMBER:
    case EMB_PROP_REGISTRATION_NUMBER:
    case EMB_PROP_TAX_NUMBER:
    case EMB_PROP_INN_CODE:
    case EMB_PROP_OGRN_CODE:
    case EMB_PROP_KPP_CODE:
    case EMB_PROP_OKPO_CODE:
    case EMB_PROP_LEI_CODE:
    case EMB_PROP_SWIFT_BIC:
    case EMB_PROP_IMO_NUMBER:
    case EMB_PROP_MMSI:
    case EMB_PROP_CALL_SIGN:
    case EMB_PROP_CRYPTO_WALLET:
        return 1;
    default:
        return 0;
    }
}

emb_schema emb__schema_loose(emb_str type)
{
    static const struct {
        const char *word;
        emb_schema schema;
    } words[] = {
        {"individual", EMB_SCHEMA_PERSON},     {"person", EMB_SCHEMA_PERSON},
        {"natural person", EMB_SCHEMA_PERSON}, {"people", EMB_SCHEMA_PERSON},
        {"entity", EMB_SCHEMA_LEGAL_ENTITY},   {"legal entity", EMB_SCHEMA_LEGAL_ENTITY},
        {"legalentity", EMB_SCHEMA_LEGAL_ENTITY},
        {"company", EMB_SCHEMA_COMPANY},       {"business", EMB_SCHEMA_COMPANY},
        {"organization", EMB_SCHEMA_ORGANIZATION}, {"organisation", EMB_SCHEMA_ORGANIZATION},
        {"group", EMB_SCHEMA_ORGANIZATION},    {"public body", EMB_SCHEMA_PUBLIC_BODY},
        {"publicbody", EMB_SCHEMA_PUBLIC_BODY},
        {"vessel", EMB_SCHEMA_VESSEL},         {"ship", EMB_SCHEMA_VESSEL},
        {"aircraft", EMB_SCHEMA_AIRPLANE},     {"airplane", EMB_SCHEMA_AIRPLANE},
        {"vehicle", EMB_SCHEMA_VEHICLE},       {"asset", EMB_SCHEMA_THING},
        {"thing", EMB_SCHEMA_THING},
    };
    type = emb__str_trim(type);
    emb_schema s = emb_schema_from_name(type.ptr, type.len);
    if (s != EMB_SCHEMA_UNKNOWN)
        return s;
    for (size_t i = 0; i < EMB_COUNTOF(words); i++) {
        if (emb__str_ieq(type, words[i].word))
            return words[i].schema;
    }
    return EMB_SCHEMA_UNKNOWN;
}
