export { ContentStore } from './store'
export { ContentStoreError, ContentNotFoundError, ContentMismatchError, InvalidCidError } from './errors'
