import { tuneForColdStart } from '../io/v8';
import { main } from './main';

tuneForColdStart();

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
