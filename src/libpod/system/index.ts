// Reports and work over the whole store: info, df, prune, reset, renumber.
export {infoReport, infoTemplateData, versionReport, idMappings, uptimeText} from './info.js'
