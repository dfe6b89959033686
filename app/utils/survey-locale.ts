/**
 * survey-core's Swedish locale, with the machine-translated and misleading strings fixed.
 * Isomorphic: the browser form and the server-side validation both import it, so error texts
 * read the same in the form and in server responses. Importing it has a side effect: it
 * registers (and patches) the "sv" locale in survey-core's global localization table.
 */
import { surveyLocalization } from 'survey-core';
import 'survey-core/i18n/swedish';

export const SURVEY_LOCALE = 'sv';

/**
 * Replacements for survey-core 3.0.0's Swedish table. Every entry fixes a machine translation
 * ("OKEJ", "Annullera", "Lastning..."), a wrong meaning ("Klar" for Clear, "färre än" for
 * "no more than") or a stiff phrasing ("Var vänlig välj åtminstone {0} varianter").
 */
export const SWEDISH_FIXES: Record<string, string> = {
  previewText: 'Förhandsgranska',
  startSurveyText: 'Starta',
  noneItemText: 'Inget av alternativen',
  refuseItemText: 'Vill inte svara',
  panelDynamicTabTextFormat: 'Del {panelIndex}',
  questionsProgressText: '{0} av {1} frågor besvarade',
  completingSurvey: 'Tack för dina svar!',
  completingSurveyBefore: 'Du har redan besvarat den här enkäten.',
  loadingSurvey: 'Enkäten läses in …',
  placeholder: 'Välj …',
  ratingOptionsCaption: 'Välj …',
  buttongroupOptionsCaption: 'Välj …',
  requiredError: 'Frågan måste besvaras.',
  requiredErrorInPanel: 'Besvara minst en av frågorna.',
  requiredInAllRowsError: 'Besvara frågan på alla rader.',
  numericError: 'Ange ett tal.',
  minError: 'Värdet får inte vara mindre än {0}.',
  maxError: 'Värdet får inte vara större än {0}.',
  stepError: 'Ange ett värde i steg om {0}.',
  invalidInputError: 'Ogiltigt värde.',
  textNoDigitsAllow: 'Siffror är inte tillåtna.',
  incompletePatternError: 'Fyll i hela värdet i rätt format.',
  textMinLength: 'Ange minst {0} tecken.',
  textMaxLength: 'Ange högst {0} tecken.',
  textMinMaxLength: 'Ange minst {0} och högst {1} tecken.',
  minRowCountError: 'Fyll i minst {0} rader.',
  minSelectError: 'Välj minst {0} alternativ.',
  maxSelectError: 'Välj högst {0} alternativ.',
  numericMinMax: '”{0}” ska vara minst {1} och högst {2}.',
  numericMin: '”{0}” ska vara minst {1}.',
  numericMax: '”{0}” ska vara högst {1}.',
  invalidEmail: 'Ange en giltig e-postadress.',
  invalidExpression: 'Villkoret {0} är inte uppfyllt.',
  exceedMaxSize: 'Filen får inte vara större än {0}.',
  fileSizeUnits: 'byte, kB, MB, GB, TB',
  exceedMaxFiles: 'Du kan ladda upp högst {0} filer.',
  noUploadFilesHandler: 'Filer kan inte laddas upp här.',
  otherRequiredError: 'Beskriv ditt svar i textfältet.',
  uploadingFile: 'Filen laddas upp. Vänta några sekunder och försök igen.',
  loadingFile: 'Läser in …',
  chooseFile: 'Välj filer …',
  confirmDelete: 'Vill du ta bort raden?',
  keyDuplicationError: 'Värdet måste vara unikt.',
  noEntriesText: 'Det finns inga rader ännu.\nKlicka på knappen nedan för att lägga till en.',
  noEntriesReadonlyText: 'Inga rader',
  showDetails: 'Visa detaljer',
  hideDetails: 'Dölj detaljer',
  choices_Item: 'alternativ',
  choices_Choice: 'Svarsalternativ',
  multipletext_itemname: 'text',
  savingData: 'Svaren sparas …',
  savingDataError: 'Ett fel inträffade och svaren kunde inte sparas.',
  savingDataSuccess: 'Svaren har sparats.',
  timerMin: 'min',
  timerSpentAll: 'Du har använt {0} på den här sidan och {1} totalt.',
  timerSpentPage: 'Du har använt {0} på den här sidan.',
  timerSpentSurvey: 'Du har använt {0} totalt.',
  timerLimitAll: 'Du har använt {0} av {1} på den här sidan och {2} av {3} totalt.',
  timerLimitPage: 'Du har använt {0} av {1} på den här sidan.',
  timerLimitSurvey: 'Du har använt {0} av {1} totalt.',
  clearCaption: 'Rensa',
  selectCaption: 'Välj',
  signaturePlaceHolder: 'Skriv under här',
  modalApplyButtonText: 'Använd',
  emptyMessage: 'Det finns inget att visa.',
  loadingPage: 'Läser in …',
  loadingData: 'Läser in …',
  tabTitlePlaceholder: 'Ny del',
  tagboxDoneButtonCaption: 'OK',
  selectToRankEmptyRankedAreaText: 'Alla alternativ är rangordnade',
  selectToRankEmptyUnrankedAreaText: 'Dra alternativen hit för att rangordna dem',
  ok: 'OK',
  cancel: 'Avbryt',
  createCustomItem: 'Lägg till ”{0}” …',
};

const strings = surveyLocalization.getLocaleStrings(SURVEY_LOCALE) as Record<string, string> | undefined;
if (!strings) throw new Error('survey-core has no Swedish locale: check survey-core/i18n/swedish');
Object.assign(strings, SWEDISH_FIXES);

/** The Swedish string survey-core uses for a key, after our fixes (for tests and labels). */
export function surveyString(key: string): string {
  return surveyLocalization.getString(key, SURVEY_LOCALE);
}
