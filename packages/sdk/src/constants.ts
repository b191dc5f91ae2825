import { InvalidArgumentError } from './errors'

/** Asset kinds known at genesis (AssetKinds in AssetTypes.sol). */
export const AssetKind = { DATASET: 1, MODEL: 2, AGENT: 3, PIPELINE: 4 } as const
export type AssetKindName = keyof typeof AssetKind

/** Attribution edge types, in the enum order of `Relation` in AssetTypes.sol. */
export const RELATIONS = [
  'TRAINED_ON',
  'FINETUNED_FROM',
  'DISTILLED_FROM',
  'MERGED_FROM',
  'DERIVED_FROM',
  'USES_MODEL',
  'USES_DATASET',
  'EVALUATED_ON',
] as const
export type RelationName = (typeof RELATIONS)[number]

/** License templates, in the enum order of `LicenseTemplate` in LicenseTypes.sol. */
export const LICENSE_TEMPLATES = ['OPEN', 'NON_COMMERCIAL', 'COMMERCIAL', 'COMMERCIAL_REMIX', 'PAY_PER_USE'] as const
export type LicenseTemplateName = (typeof LICENSE_TEMPLATES)[number]

export const BPS = 10_000n

export function kindId(kind: AssetKindName | Lowercase<AssetKindName> | number): number {
  if (typeof kind === 'number') {
    if (!Number.isInteger(kind) || kind <= 0 || kind > 0xffff) throw new InvalidArgumentError(`${kind} is not a valid asset kind.`)
    return kind
  }
  const id = AssetKind[kind.toUpperCase() as AssetKindName]
  if (id === undefined) {
    throw new InvalidArgumentError(`Unknown asset kind "${kind}"; use one of ${Object.keys(AssetKind).join(', ').toLowerCase()}.`)
  }
  return id
}

export function kindName(kind: number): string {
  const entry = Object.entries(AssetKind).find(([, v]) => v === kind)
  return entry ? entry[0].toLowerCase() : `kind-${kind}`
}

export function relationId(relation: RelationName | number | string): number {
  if (typeof relation === 'number') {
    if (relation < 0 || relation >= RELATIONS.length || !Number.isInteger(relation)) throw new InvalidArgumentError(`${relation} is not a valid relation.`)
    return relation
  }
  const i = RELATIONS.indexOf(relation.toUpperCase() as RelationName)
  if (i < 0) throw new InvalidArgumentError(`Unknown relation "${relation}"; use one of ${RELATIONS.join(', ')}.`)
  return i
}

export function relationName(relation: number): RelationName {
  return RELATIONS[relation] ?? (`RELATION_${relation}` as RelationName)
}

export function templateId(template: LicenseTemplateName | number | string): number {
  if (typeof template === 'number') {
    if (template < 0 || template >= LICENSE_TEMPLATES.length || !Number.isInteger(template)) throw new InvalidArgumentError(`${template} is not a valid license template.`)
    return template
  }
  const i = LICENSE_TEMPLATES.indexOf(template.toUpperCase().replace(/-/g, '_') as LicenseTemplateName)
  if (i < 0) throw new InvalidArgumentError(`Unknown license template "${template}"; use one of ${LICENSE_TEMPLATES.join(', ')}.`)
  return i
}

export function templateName(template: number): LicenseTemplateName {
  return LICENSE_TEMPLATES[template] ?? (`TEMPLATE_${template}` as LicenseTemplateName)
}
