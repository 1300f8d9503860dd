// Entry for the vendored @oclif/core bundle (see scripts/build-vendor.js).
module.exports = require('@oclif/core')
