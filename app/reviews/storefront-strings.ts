// What the shopper reads on the storefront pages we serve through the app proxy (review form, thank-you,
// link errors, unsubscribe) and in the reviews list, in en, sl, tr, de, fr, es. Pure. `{x}` are filled by
// `fill`; counts go through `plural` (Slovenian has dual and few forms).
import { mailLocale, type MailLocale } from "~/mail/templates";

export type StorefrontLocale = MailLocale;
export const storefrontLocale = mailLocale;

type Plural = { one: string; two?: string; few?: string; other: string };

export interface StorefrontStrings {
  formTitle: string;
  formIntro: string;
  orderLine: string;
  verifiedBuyer: string;
  ratingLegend: string;
  starNames: [string, string, string, string, string];
  starLabel: string;
  skipHint: string;
  titleLabel: string;
  titlePlaceholder: string;
  bodyLabel: string;
  bodyPlaceholder: string;
  photosLabel: string;
  photosHint: string;
  photosAttached: Plural;
  nameLabel: string;
  namePlaceholder: string;
  submit: string;
  editNote: string;
  incentivePoints: string;
  incentivePhoto: string;
  incentiveDiscount: string;
  errorsTitle: string;
  needRating: string;
  titleTooLong: string;
  bodyTooLong: string;
  nameTooLong: string;
  photoType: string;
  photoSize: string;
  photoCount: string;
  uploadTooLarge: string;
  thanksTitle: string;
  thanksPublished: string;
  thanksPending: string;
  thanksPoints: string;
  thanksDiscount: string;
  editAgain: string;
  invalidTitle: string;
  invalidBody: string;
  expiredTitle: string;
  expiredBody: string;
  closedTitle: string;
  closedBody: string;
  unsubscribeTitle: string;
  unsubscribeQuestion: string;
  unsubscribeButton: string;
  unsubscribed: string;
  listTitle: string;
  reviewsCount: Plural;
  outOf: string;
  noReviews: string;
  anonymous: string;
  incentivised: string;
  replyFrom: string;
  morePhotos: string;
  previous: string;
  next: string;
}

export const STOREFRONT_STRINGS: Record<StorefrontLocale, StorefrontStrings> = {
  en: {
    formTitle: "Review your purchase",
    formIntro: "Thank you for shopping with {shop}. Your honest opinion helps other shoppers.",
    orderLine: "Order {order}",
    verifiedBuyer: "Verified buyer",
    ratingLegend: "Your rating",
    starNames: ["Terrible", "Poor", "Okay", "Good", "Excellent"],
    starLabel: "{n} of 5 stars: {name}",
    skipHint: "Leave the stars empty for anything you don't want to review.",
    titleLabel: "Title (optional)",
    titlePlaceholder: "Sum it up in a few words",
    bodyLabel: "Your review (optional)",
    bodyPlaceholder: "What did you like or dislike? How do you use it?",
    photosLabel: "Photos (optional)",
    photosHint: "Up to {max} photos, JPEG, PNG or WebP, {mb} MB each.",
    photosAttached: { one: "{n} photo attached", other: "{n} photos attached" },
    nameLabel: "Your name, as shown with your review (optional)",
    namePlaceholder: "e.g. Ana N.",
    submit: "Submit",
    editNote: "You have reviewed this already: sending again replaces your review.",
    incentivePoints: "You earn {points} points for a review.",
    incentivePhoto: "Add a photo for {points} more.",
    incentiveDiscount: "As a thank-you you get {percent} % off your next order.",
    errorsTitle: "Please check your review",
    needRating: "Choose a star rating for at least one product.",
    titleTooLong: "Keep the title under {max} characters.",
    bodyTooLong: "Keep the review under {max} characters.",
    nameTooLong: "Keep the name under {max} characters.",
    photoType: "{file}: only JPEG, PNG or WebP photos can be added.",
    photoSize: "{file} is larger than {mb} MB.",
    photoCount: "At most {max} photos per product.",
    uploadTooLarge: "The upload is too large. Please add fewer or smaller photos.",
    thanksTitle: "Thank you!",
    thanksPublished: "Your review is now on our shop.",
    thanksPending: "Your review will appear after a quick check.",
    thanksPoints: "{points} points have been added to your account.",
    thanksDiscount: "Your {percent} % discount code is on its way to your inbox.",
    editAgain: "Change your review",
    invalidTitle: "This link doesn't work",
    invalidBody: "The link is incomplete or was changed. Please open it again from your e-mail.",
    expiredTitle: "This link has expired",
    expiredBody: "Review links work for 180 days after your order was shipped.",
    closedTitle: "This order can no longer be reviewed",
    closedBody: "The order was cancelled or refunded.",
    unsubscribeTitle: "Unsubscribe",
    unsubscribeQuestion: "Stop review requests and reminders from {shop} to {email}?",
    unsubscribeButton: "Unsubscribe",
    unsubscribed: "Done: {shop} will not send you review e-mails any more.",
    listTitle: "Customer reviews",
    reviewsCount: { one: "{n} review", other: "{n} reviews" },
    outOf: "{rating} out of 5",
    noReviews: "No reviews yet.",
    anonymous: "A verified buyer",
    incentivised: "Received a reward for reviewing",
    replyFrom: "Reply from {shop}",
    morePhotos: "Photo {n}",
    previous: "Newer reviews",
    next: "Older reviews",
  },
  sl: {
    formTitle: "Ocenite svoj nakup",
    formIntro: "Hvala za nakup v {shop}. Vaše iskreno mnenje pomaga drugim kupcem.",
    orderLine: "Naročilo {order}",
    verifiedBuyer: "Preverjen kupec",
    ratingLegend: "Vaša ocena",
    starNames: ["Zelo slabo", "Slabo", "V redu", "Dobro", "Odlično"],
    starLabel: "{n} od 5 zvezdic: {name}",
    skipHint: "Pri izdelkih, ki jih ne želite oceniti, zvezdice pustite prazne.",
    titleLabel: "Naslov (neobvezno)",
    titlePlaceholder: "Povzemite v nekaj besedah",
    bodyLabel: "Vaše mnenje (neobvezno)",
    bodyPlaceholder: "Kaj vam je bilo všeč in kaj ne? Kako ga uporabljate?",
    photosLabel: "Fotografije (neobvezno)",
    photosHint: "Do {max} fotografij, JPEG, PNG ali WebP, vsaka do {mb} MB.",
    photosAttached: {
      one: "{n} priložena fotografija",
      two: "{n} priloženi fotografiji",
      few: "{n} priložene fotografije",
      other: "{n} priloženih fotografij",
    },
    nameLabel: "Vaše ime, kot bo prikazano ob oceni (neobvezno)",
    namePlaceholder: "npr. Ana N.",
    submit: "Pošlji",
    editNote: "Ta izdelek ste že ocenili: ponovno pošiljanje nadomesti vašo oceno.",
    incentivePoints: "Za oceno prejmete {points} točk.",
    incentivePhoto: "S fotografijo še {points} točk več.",
    incentiveDiscount: "V zahvalo prejmete {percent} % popusta za naslednje naročilo.",
    errorsTitle: "Preverite svojo oceno",
    needRating: "Izberite število zvezdic za vsaj en izdelek.",
    titleTooLong: "Naslov naj bo krajši od {max} znakov.",
    bodyTooLong: "Mnenje naj bo krajše od {max} znakov.",
    nameTooLong: "Ime naj bo krajše od {max} znakov.",
    photoType: "{file}: dodati je mogoče le fotografije JPEG, PNG ali WebP.",
    photoSize: "{file} je večja od {mb} MB.",
    photoCount: "Največ {max} fotografije na izdelek.",
    uploadTooLarge: "Prenos je prevelik. Dodajte manj ali manjše fotografije.",
    thanksTitle: "Hvala!",
    thanksPublished: "Vaša ocena je že objavljena v naši trgovini.",
    thanksPending: "Vaša ocena bo objavljena po hitrem pregledu.",
    thanksPoints: "Na vaš račun smo dodali {points} točk.",
    thanksDiscount: "Koda za {percent} % popusta je na poti v vaš e-poštni predal.",
    editAgain: "Spremenite oceno",
    invalidTitle: "Ta povezava ne deluje",
    invalidBody: "Povezava je nepopolna ali spremenjena. Odprite jo znova iz e-poštnega sporočila.",
    expiredTitle: "Povezava je potekla",
    expiredBody: "Povezave za ocene delujejo 180 dni po odpremi naročila.",
    closedTitle: "Tega naročila ni več mogoče oceniti",
    closedBody: "Naročilo je bilo preklicano ali vrnjeno.",
    unsubscribeTitle: "Odjava",
    unsubscribeQuestion: "Ne želite več prejemati prošenj za oceno in opomnikov trgovine {shop} na {email}?",
    unsubscribeButton: "Odjava",
    unsubscribed: "Urejeno: {shop} vam ne bo več pošiljal sporočil za ocene.",
    listTitle: "Mnenja kupcev",
    reviewsCount: { one: "{n} ocena", two: "{n} oceni", few: "{n} ocene", other: "{n} ocen" },
    outOf: "{rating} od 5",
    noReviews: "Ocen še ni.",
    anonymous: "Preverjen kupec",
    incentivised: "Za oceno je prejel nagrado",
    replyFrom: "Odgovor trgovine {shop}",
    morePhotos: "Fotografija {n}",
    previous: "Novejše ocene",
    next: "Starejše ocene",
  },
  tr: {
    formTitle: "Satın aldığınız ürünü değerlendirin",
    formIntro: "{shop} mağazasından alışveriş yaptığınız için teşekkürler. Dürüst görüşünüz diğer alışverişçilere yardımcı olur.",
    orderLine: "Sipariş {order}",
    verifiedBuyer: "Onaylı alıcı",
    ratingLegend: "Puanınız",
    starNames: ["Çok kötü", "Kötü", "İdare eder", "İyi", "Mükemmel"],
    starLabel: "5 üzerinden {n} yıldız: {name}",
    skipHint: "Değerlendirmek istemediğiniz ürünlerde yıldızları boş bırakın.",
    titleLabel: "Başlık (isteğe bağlı)",
    titlePlaceholder: "Birkaç kelimeyle özetleyin",
    bodyLabel: "Yorumunuz (isteğe bağlı)",
    bodyPlaceholder: "Nelerini beğendiniz, nelerini beğenmediniz? Nasıl kullanıyorsunuz?",
    photosLabel: "Fotoğraflar (isteğe bağlı)",
    photosHint: "En fazla {max} fotoğraf, JPEG, PNG veya WebP, her biri {mb} MB'a kadar.",
    photosAttached: { one: "{n} fotoğraf eklendi", other: "{n} fotoğraf eklendi" },
    nameLabel: "Yorumunuzla birlikte görünecek adınız (isteğe bağlı)",
    namePlaceholder: "ör. Ayşe Y.",
    submit: "Gönder",
    editNote: "Bu ürünü zaten değerlendirdiniz: yeniden gönderirseniz yorumunuz güncellenir.",
    incentivePoints: "Değerlendirme için {points} puan kazanırsınız.",
    incentivePhoto: "Fotoğraf eklerseniz {points} puan daha.",
    incentiveDiscount: "Teşekkür olarak bir sonraki siparişinizde %{percent} indirim kazanırsınız.",
    errorsTitle: "Lütfen değerlendirmenizi kontrol edin",
    needRating: "En az bir ürün için yıldız puanı seçin.",
    titleTooLong: "Başlık {max} karakterden kısa olmalı.",
    bodyTooLong: "Yorum {max} karakterden kısa olmalı.",
    nameTooLong: "Ad {max} karakterden kısa olmalı.",
    photoType: "{file}: yalnızca JPEG, PNG veya WebP fotoğraflar eklenebilir.",
    photoSize: "{file} {mb} MB'tan büyük.",
    photoCount: "Ürün başına en fazla {max} fotoğraf.",
    uploadTooLarge: "Yükleme çok büyük. Lütfen daha az veya daha küçük fotoğraf ekleyin.",
    thanksTitle: "Teşekkürler!",
    thanksPublished: "Değerlendirmeniz mağazamızda yayında.",
    thanksPending: "Değerlendirmeniz kısa bir kontrolden sonra yayınlanacak.",
    thanksPoints: "Hesabınıza {points} puan eklendi.",
    thanksDiscount: "%{percent} indirim kodunuz e-posta kutunuza gönderiliyor.",
    editAgain: "Değerlendirmenizi değiştirin",
    invalidTitle: "Bu bağlantı çalışmıyor",
    invalidBody: "Bağlantı eksik veya değiştirilmiş. Lütfen e-postanızdan yeniden açın.",
    expiredTitle: "Bu bağlantının süresi doldu",
    expiredBody: "Değerlendirme bağlantıları siparişiniz gönderildikten sonra 180 gün geçerlidir.",
    closedTitle: "Bu sipariş artık değerlendirilemez",
    closedBody: "Sipariş iptal edildi veya iade edildi.",
    unsubscribeTitle: "Abonelikten çık",
    unsubscribeQuestion: "{shop} mağazasının {email} adresine değerlendirme istekleri ve hatırlatmalar göndermesi durdurulsun mu?",
    unsubscribeButton: "Abonelikten çık",
    unsubscribed: "Tamam: {shop} size artık değerlendirme e-postası göndermeyecek.",
    listTitle: "Müşteri yorumları",
    reviewsCount: { one: "{n} yorum", other: "{n} yorum" },
    outOf: "5 üzerinden {rating}",
    noReviews: "Henüz yorum yok.",
    anonymous: "Onaylı bir alıcı",
    incentivised: "Değerlendirme için ödül aldı",
    replyFrom: "{shop} yanıtı",
    morePhotos: "Fotoğraf {n}",
    previous: "Daha yeni yorumlar",
    next: "Daha eski yorumlar",
  },
  de: {
    formTitle: "Bewerten Sie Ihren Einkauf",
    formIntro: "Danke für Ihren Einkauf bei {shop}. Ihre ehrliche Meinung hilft anderen Kundinnen und Kunden.",
    orderLine: "Bestellung {order}",
    verifiedBuyer: "Verifizierter Kauf",
    ratingLegend: "Ihre Bewertung",
    starNames: ["Sehr schlecht", "Schlecht", "In Ordnung", "Gut", "Ausgezeichnet"],
    starLabel: "{n} von 5 Sternen: {name}",
    skipHint: "Lassen Sie die Sterne leer, wenn Sie ein Produkt nicht bewerten möchten.",
    titleLabel: "Titel (optional)",
    titlePlaceholder: "In wenigen Worten zusammengefasst",
    bodyLabel: "Ihre Bewertung (optional)",
    bodyPlaceholder: "Was hat Ihnen gefallen, was nicht? Wie verwenden Sie es?",
    photosLabel: "Fotos (optional)",
    photosHint: "Bis zu {max} Fotos, JPEG, PNG oder WebP, je bis {mb} MB.",
    photosAttached: { one: "{n} Foto angehängt", other: "{n} Fotos angehängt" },
    nameLabel: "Ihr Name, wie er bei der Bewertung erscheint (optional)",
    namePlaceholder: "z. B. Anna N.",
    submit: "Absenden",
    editNote: "Sie haben dieses Produkt schon bewertet: erneutes Absenden ersetzt Ihre Bewertung.",
    incentivePoints: "Für eine Bewertung erhalten Sie {points} Punkte.",
    incentivePhoto: "Mit Foto {points} Punkte mehr.",
    incentiveDiscount: "Als Dankeschön erhalten Sie {percent} % Rabatt auf Ihre nächste Bestellung.",
    errorsTitle: "Bitte prüfen Sie Ihre Bewertung",
    needRating: "Wählen Sie für mindestens ein Produkt eine Sternebewertung.",
    titleTooLong: "Der Titel darf höchstens {max} Zeichen lang sein.",
    bodyTooLong: "Die Bewertung darf höchstens {max} Zeichen lang sein.",
    nameTooLong: "Der Name darf höchstens {max} Zeichen lang sein.",
    photoType: "{file}: Nur JPEG-, PNG- oder WebP-Fotos sind möglich.",
    photoSize: "{file} ist größer als {mb} MB.",
    photoCount: "Höchstens {max} Fotos pro Produkt.",
    uploadTooLarge: "Der Upload ist zu groß. Bitte fügen Sie weniger oder kleinere Fotos hinzu.",
    thanksTitle: "Vielen Dank!",
    thanksPublished: "Ihre Bewertung ist jetzt in unserem Shop zu sehen.",
    thanksPending: "Ihre Bewertung erscheint nach einer kurzen Prüfung.",
    thanksPoints: "{points} Punkte wurden Ihrem Konto gutgeschrieben.",
    thanksDiscount: "Ihr Rabattcode über {percent} % ist auf dem Weg in Ihr Postfach.",
    editAgain: "Bewertung ändern",
    invalidTitle: "Dieser Link funktioniert nicht",
    invalidBody: "Der Link ist unvollständig oder wurde verändert. Bitte öffnen Sie ihn erneut aus Ihrer E-Mail.",
    expiredTitle: "Dieser Link ist abgelaufen",
    expiredBody: "Bewertungslinks gelten 180 Tage nach dem Versand Ihrer Bestellung.",
    closedTitle: "Diese Bestellung kann nicht mehr bewertet werden",
    closedBody: "Die Bestellung wurde storniert oder erstattet.",
    unsubscribeTitle: "Abmelden",
    unsubscribeQuestion: "Keine Bewertungsanfragen und Erinnerungen von {shop} mehr an {email}?",
    unsubscribeButton: "Abmelden",
    unsubscribed: "Erledigt: {shop} sendet Ihnen keine Bewertungs-E-Mails mehr.",
    listTitle: "Kundenbewertungen",
    reviewsCount: { one: "{n} Bewertung", other: "{n} Bewertungen" },
    outOf: "{rating} von 5",
    noReviews: "Noch keine Bewertungen.",
    anonymous: "Verifizierter Kauf",
    incentivised: "Hat für die Bewertung eine Prämie erhalten",
    replyFrom: "Antwort von {shop}",
    morePhotos: "Foto {n}",
    previous: "Neuere Bewertungen",
    next: "Ältere Bewertungen",
  },
  fr: {
    formTitle: "Donnez votre avis sur votre achat",
    formIntro: "Merci pour votre achat chez {shop}. Votre avis sincère aide les autres clients.",
    orderLine: "Commande {order}",
    verifiedBuyer: "Achat vérifié",
    ratingLegend: "Votre note",
    starNames: ["Très mauvais", "Mauvais", "Correct", "Bien", "Excellent"],
    starLabel: "{n} étoiles sur 5 : {name}",
    skipHint: "Laissez les étoiles vides pour un produit que vous ne souhaitez pas noter.",
    titleLabel: "Titre (facultatif)",
    titlePlaceholder: "Résumez en quelques mots",
    bodyLabel: "Votre avis (facultatif)",
    bodyPlaceholder: "Qu'avez-vous aimé ou moins aimé ? Comment l'utilisez-vous ?",
    photosLabel: "Photos (facultatif)",
    photosHint: "Jusqu'à {max} photos, JPEG, PNG ou WebP, {mb} Mo chacune.",
    photosAttached: { one: "{n} photo jointe", other: "{n} photos jointes" },
    nameLabel: "Votre nom, affiché avec votre avis (facultatif)",
    namePlaceholder: "p. ex. Anne N.",
    submit: "Envoyer",
    editNote: "Vous avez déjà donné votre avis : un nouvel envoi le remplace.",
    incentivePoints: "Vous gagnez {points} points pour un avis.",
    incentivePhoto: "{points} de plus avec une photo.",
    incentiveDiscount: "Pour vous remercier, vous bénéficiez de {percent} % de réduction sur votre prochaine commande.",
    errorsTitle: "Veuillez vérifier votre avis",
    needRating: "Choisissez une note pour au moins un produit.",
    titleTooLong: "Le titre doit faire moins de {max} caractères.",
    bodyTooLong: "L'avis doit faire moins de {max} caractères.",
    nameTooLong: "Le nom doit faire moins de {max} caractères.",
    photoType: "{file} : seules les photos JPEG, PNG ou WebP sont acceptées.",
    photoSize: "{file} dépasse {mb} Mo.",
    photoCount: "{max} photos au maximum par produit.",
    uploadTooLarge: "L'envoi est trop volumineux. Ajoutez moins de photos ou des photos plus petites.",
    thanksTitle: "Merci !",
    thanksPublished: "Votre avis est maintenant en ligne sur notre boutique.",
    thanksPending: "Votre avis sera publié après une courte vérification.",
    thanksPoints: "{points} points ont été ajoutés à votre compte.",
    thanksDiscount: "Votre code de réduction de {percent} % arrive dans votre boîte de réception.",
    editAgain: "Modifier votre avis",
    invalidTitle: "Ce lien ne fonctionne pas",
    invalidBody: "Le lien est incomplet ou a été modifié. Ouvrez-le à nouveau depuis votre e-mail.",
    expiredTitle: "Ce lien a expiré",
    expiredBody: "Les liens d'avis sont valables 180 jours après l'expédition de votre commande.",
    closedTitle: "Cette commande ne peut plus être évaluée",
    closedBody: "La commande a été annulée ou remboursée.",
    unsubscribeTitle: "Se désabonner",
    unsubscribeQuestion: "Ne plus recevoir de demandes d'avis ni de rappels de {shop} à l'adresse {email} ?",
    unsubscribeButton: "Se désabonner",
    unsubscribed: "C'est fait : {shop} ne vous enverra plus d'e-mails de demande d'avis.",
    listTitle: "Avis clients",
    reviewsCount: { one: "{n} avis", other: "{n} avis" },
    outOf: "{rating} sur 5",
    noReviews: "Aucun avis pour le moment.",
    anonymous: "Un acheteur vérifié",
    incentivised: "A reçu une récompense pour cet avis",
    replyFrom: "Réponse de {shop}",
    morePhotos: "Photo {n}",
    previous: "Avis plus récents",
    next: "Avis plus anciens",
  },
  es: {
    formTitle: "Valora tu compra",
    formIntro: "Gracias por comprar en {shop}. Tu opinión sincera ayuda a otros clientes.",
    orderLine: "Pedido {order}",
    verifiedBuyer: "Compra verificada",
    ratingLegend: "Tu valoración",
    starNames: ["Muy malo", "Malo", "Normal", "Bueno", "Excelente"],
    starLabel: "{n} de 5 estrellas: {name}",
    skipHint: "Deja las estrellas vacías en los productos que no quieras valorar.",
    titleLabel: "Título (opcional)",
    titlePlaceholder: "Resúmelo en pocas palabras",
    bodyLabel: "Tu opinión (opcional)",
    bodyPlaceholder: "¿Qué te gustó y qué no? ¿Cómo lo usas?",
    photosLabel: "Fotos (opcional)",
    photosHint: "Hasta {max} fotos, JPEG, PNG o WebP, de {mb} MB como máximo cada una.",
    photosAttached: { one: "{n} foto adjunta", other: "{n} fotos adjuntas" },
    nameLabel: "Tu nombre, tal como aparecerá con tu opinión (opcional)",
    namePlaceholder: "p. ej. Ana N.",
    submit: "Enviar",
    editNote: "Ya valoraste este producto: si lo envías de nuevo, se sustituye tu opinión.",
    incentivePoints: "Ganas {points} puntos por tu opinión.",
    incentivePhoto: "{points} más con una foto.",
    incentiveDiscount: "Como agradecimiento, obtienes un {percent} % de descuento en tu próximo pedido.",
    errorsTitle: "Revisa tu opinión",
    needRating: "Elige una valoración con estrellas para al menos un producto.",
    titleTooLong: "El título debe tener menos de {max} caracteres.",
    bodyTooLong: "La opinión debe tener menos de {max} caracteres.",
    nameTooLong: "El nombre debe tener menos de {max} caracteres.",
    photoType: "{file}: solo se admiten fotos JPEG, PNG o WebP.",
    photoSize: "{file} ocupa más de {mb} MB.",
    photoCount: "Como máximo {max} fotos por producto.",
    uploadTooLarge: "El envío es demasiado grande. Añade menos fotos o fotos más pequeñas.",
    thanksTitle: "¡Gracias!",
    thanksPublished: "Tu opinión ya está publicada en nuestra tienda.",
    thanksPending: "Tu opinión se publicará tras una breve revisión.",
    thanksPoints: "Hemos añadido {points} puntos a tu cuenta.",
    thanksDiscount: "Tu código de descuento del {percent} % está de camino a tu bandeja de entrada.",
    editAgain: "Cambiar tu opinión",
    invalidTitle: "Este enlace no funciona",
    invalidBody: "El enlace está incompleto o se ha modificado. Ábrelo de nuevo desde tu correo.",
    expiredTitle: "Este enlace ha caducado",
    expiredBody: "Los enlaces para opinar son válidos durante 180 días tras el envío de tu pedido.",
    closedTitle: "Este pedido ya no se puede valorar",
    closedBody: "El pedido se canceló o se reembolsó.",
    unsubscribeTitle: "Darse de baja",
    unsubscribeQuestion: "¿Dejar de recibir solicitudes de opinión y recordatorios de {shop} en {email}?",
    unsubscribeButton: "Darse de baja",
    unsubscribed: "Hecho: {shop} ya no te enviará correos para pedirte opiniones.",
    listTitle: "Opiniones de clientes",
    reviewsCount: { one: "{n} opinión", other: "{n} opiniones" },
    outOf: "{rating} de 5",
    noReviews: "Todavía no hay opiniones.",
    anonymous: "Un comprador verificado",
    incentivised: "Recibió una recompensa por opinar",
    replyFrom: "Respuesta de {shop}",
    morePhotos: "Foto {n}",
    previous: "Opiniones más recientes",
    next: "Opiniones más antiguas",
  },
};

export function storefrontStrings(locale: string | null | undefined): { locale: StorefrontLocale; t: StorefrontStrings } {
  const lang = storefrontLocale(locale);
  return { locale: lang, t: STOREFRONT_STRINGS[lang] };
}

/** Replaces `{name}` placeholders; values are plain text (escape when putting them into HTML). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export function plural(locale: StorefrontLocale, forms: Plural, n: number): string {
  const category = new Intl.PluralRules(locale).select(n) as keyof Plural;
  return fill(forms[category] ?? forms.other, { n });
}

/** The first Accept-Language among ours (for pages shown before we know whose link it is). */
export function localeFromAcceptLanguage(header: string | null): StorefrontLocale {
  for (const part of (header ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim();
    if (tag && storefrontLocale(tag) !== "en") return storefrontLocale(tag);
    if (tag?.toLowerCase().startsWith("en")) return "en";
  }
  return "en";
}
