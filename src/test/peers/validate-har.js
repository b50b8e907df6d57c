// Validates HAR files against the HAR 1.2 schema with har-validator (a reader wstap did not write).
// Prints "valid FILE" for each; exits 1 naming the first error otherwise.
const fs = require('fs');
const validate = require('har-validator');
(async () => {
  for (const file of process.argv.slice(2)) {
    try {
      await validate.har(JSON.parse(fs.readFileSync(file, 'utf8')));
      console.log('valid ' + file);
    } catch (e) {
      console.log('invalid ' + file + ': ' + JSON.stringify(e.errors || e.message));
      process.exit(1);
    }
  }
})();
