"""The district's starting catalogue (seeded by migration 0002; villages adopt and adapt).

None of these is an introduction letter the law abolished (Perpres 96/2018, Permendagri
108/2019: no RT/RW/village introduction for KTP-el, KK, akta or moves within the regency).
Classification codes are left empty: each village sets its own (Permendagri 83/2022).
"""

KTP = "Fotokopi/foto KTP-el pemohon"
KK = "Fotokopi/foto Kartu Keluarga"


def f(code, label, datatype="string", required=True, values=None, description=""):
    item = {"code": code, "label": label, "datatype": datatype, "required": required}
    if values:
        item["values"] = [{"key": k, "name": n} for k, n in values]
    if description:
        item["description"] = description
    return item


OPENING = (
    "Yang bertanda tangan di bawah ini menerangkan bahwa:\n"
    "Nama: {nama}\nNIK: {nik}\nAlamat: {alamat}\n"
)

LETTERS = [
    {
        "code": "domisili",
        "name": "Surat Keterangan Domisili",
        "description": "Keterangan bahwa pemohon bertempat tinggal di desa ini.",
        "documents": [KTP, KK],
        "fields": [f("keperluan", "Keperluan")],
        "days": 1,
        "body": OPENING + "benar bertempat tinggal di {alamat}.\n"
        "Surat keterangan ini dibuat untuk keperluan {keperluan}.",
    },
    {
        "code": "sktm",
        "name": "Surat Keterangan Tidak Mampu (SKTM)",
        "description": "Keterangan keluarga kurang mampu untuk keringanan biaya sekolah atau "
        "kesehatan.",
        "documents": [KTP, KK, "Foto rumah tampak depan"],
        "fields": [
            f(
                "keperluan",
                "Keperluan",
                "singlevaluelist",
                values=[
                    ("pendidikan", "Pendidikan"),
                    ("kesehatan", "Kesehatan"),
                    ("lainnya", "Lainnya"),
                ],
            ),
            f("penghasilan", "Penghasilan keluarga per bulan (Rp)", "number"),
            f("tanggungan", "Jumlah tanggungan keluarga", "number"),
        ],
        "days": 2,
        "body": OPENING + "adalah warga kami yang tergolong keluarga kurang mampu dengan "
        "penghasilan sekitar Rp {penghasilan} per bulan dan {tanggungan} tanggungan.\n"
        "Surat keterangan ini dibuat untuk keperluan {keperluan}.",
    },
    {
        "code": "usaha",
        "name": "Surat Keterangan Usaha",
        "description": "Keterangan bahwa pemohon menjalankan usaha di desa ini.",
        "documents": [KTP, KK, "Foto tempat usaha"],
        "fields": [
            f("nama_usaha", "Nama usaha"),
            f("jenis_usaha", "Jenis usaha"),
            f("alamat_usaha", "Alamat usaha", "text"),
            f("mulai_usaha", "Usaha berjalan sejak (tahun)", "number"),
        ],
        "days": 2,
        "body": OPENING + "benar memiliki usaha {jenis_usaha} bernama {nama_usaha} di "
        "{alamat_usaha} sejak tahun {mulai_usaha}.",
    },
    {
        "code": "kelahiran",
        "name": "Surat Keterangan Kelahiran",
        "description": "Keterangan kelahiran anak dari warga desa.",
        "documents": [
            "Surat keterangan lahir dari bidan/puskesmas/rumah sakit",
            KK,
            "KTP-el ayah dan ibu",
        ],
        "fields": [
            f("nama_bayi", "Nama anak"),
            f("tanggal_lahir", "Tanggal dan jam lahir", "datetime"),
            f("tempat_lahir", "Tempat lahir"),
            f(
                "jenis_kelamin",
                "Jenis kelamin",
                "singlevaluelist",
                values=[("L", "Laki-laki"), ("P", "Perempuan")],
            ),
            f("nama_ayah", "Nama ayah"),
            f("nama_ibu", "Nama ibu"),
        ],
        "days": 1,
        "body": "Yang bertanda tangan di bawah ini menerangkan bahwa telah lahir seorang anak:\n"
        "Nama: {nama_bayi}\nJenis kelamin: {jenis_kelamin}\nTempat/waktu lahir: {tempat_lahir}, "
        "{tanggal_lahir}\nAyah: {nama_ayah}\nIbu: {nama_ibu}\nAlamat: {alamat}",
    },
    {
        "code": "kematian",
        "name": "Surat Keterangan Kematian",
        "description": "Keterangan meninggalnya warga desa, diajukan oleh keluarga.",
        "documents": [
            "KTP-el almarhum/almarhumah",
            KK,
            "Surat keterangan dari rumah sakit/dokter atau dua saksi",
        ],
        "fields": [
            f("nama_almarhum", "Nama almarhum/almarhumah"),
            f("tanggal_meninggal", "Tanggal dan jam meninggal", "datetime"),
            f("tempat_meninggal", "Tempat meninggal"),
            f("sebab", "Sebab meninggal", required=False),
            f("hubungan", "Hubungan pemohon dengan almarhum/almarhumah"),
        ],
        "days": 1,
        "body": "Yang bertanda tangan di bawah ini menerangkan bahwa {nama_almarhum}, warga "
        "{alamat}, telah meninggal dunia pada {tanggal_meninggal} di {tempat_meninggal}.\n"
        "Keterangan ini diajukan oleh {nama} ({hubungan}).",
    },
    {
        "code": "belum_menikah",
        "name": "Surat Keterangan Belum Menikah",
        "description": "Keterangan status belum pernah menikah.",
        "documents": [KTP, KK],
        "fields": [f("keperluan", "Keperluan")],
        "days": 1,
        "body": OPENING + "sampai saat surat ini dibuat belum pernah menikah.\n"
        "Surat keterangan ini dibuat untuk keperluan {keperluan}.",
    },
    {
        "code": "penghasilan_ortu",
        "name": "Surat Keterangan Penghasilan Orang Tua",
        "description": "Keterangan penghasilan orang tua, biasanya untuk beasiswa atau sekolah.",
        "documents": [KTP, KK],
        "fields": [
            f("nama_anak", "Nama anak"),
            f("sekolah", "Sekolah/perguruan tinggi"),
            f("penghasilan_ayah", "Penghasilan ayah per bulan (Rp)", "number"),
            f("penghasilan_ibu", "Penghasilan ibu per bulan (Rp)", "number"),
            f("pekerjaan", "Pekerjaan orang tua"),
        ],
        "days": 2,
        "body": OPENING + "adalah orang tua dari {nama_anak} ({sekolah}), bekerja sebagai "
        "{pekerjaan}, dengan penghasilan ayah Rp {penghasilan_ayah} dan ibu Rp "
        "{penghasilan_ibu} per bulan.",
    },
    {
        "code": "ahli_waris",
        "name": "Surat Keterangan Ahli Waris",
        "description": "Keterangan para ahli waris dari warga yang meninggal.",
        "documents": [
            "Akta kematian pewaris",
            KK,
            "KTP-el semua ahli waris",
            "Surat pernyataan ahli waris bermeterai",
        ],
        "fields": [
            f("nama_pewaris", "Nama pewaris"),
            f("tanggal_meninggal", "Tanggal meninggal pewaris", "datetime"),
            f("ahli_waris", "Nama dan hubungan setiap ahli waris", "text"),
        ],
        "days": 5,
        "body": "Yang bertanda tangan di bawah ini menerangkan bahwa {nama_pewaris}, yang "
        "meninggal pada {tanggal_meninggal}, meninggalkan ahli waris sebagai berikut:\n"
        "{ahli_waris}",
    },
    {
        "code": "kehilangan",
        "name": "Surat Keterangan Kehilangan",
        "description": "Keterangan kehilangan barang atau dokumen, untuk dilaporkan ke "
        "kepolisian atau instansi penerbit.",
        "documents": [KTP],
        "fields": [
            f("barang", "Barang/dokumen yang hilang", "text"),
            f("waktu", "Perkiraan waktu hilang", "datetime"),
            f("tempat", "Perkiraan tempat hilang"),
        ],
        "days": 1,
        "body": OPENING + "telah melaporkan kehilangan {barang} pada {waktu} di sekitar {tempat}.",
    },
    {
        "code": "izin_keramaian",
        "name": "Surat Keterangan Izin Keramaian",
        "description": "Keterangan desa untuk mengurus izin keramaian (hajatan, pertunjukan) ke "
        "kepolisian.",
        "documents": [KTP, KK],
        "fields": [
            f("acara", "Nama/jenis acara"),
            f("tanggal_acara", "Tanggal dan jam acara", "datetime"),
            f("tempat_acara", "Tempat acara"),
            f("tamu", "Perkiraan jumlah tamu", "number"),
            f(
                "hiburan",
                "Hiburan",
                "multivaluelist",
                required=False,
                values=[
                    ("musik", "Musik/organ tunggal"),
                    ("wayang", "Wayang/kesenian"),
                    ("tanpa", "Tanpa hiburan"),
                ],
            ),
        ],
        "days": 3,
        "body": OPENING + "akan menyelenggarakan {acara} pada {tanggal_acara} di {tempat_acara} "
        "dengan perkiraan {tamu} tamu. Hiburan: {hiburan}.",
    },
]

SEVERITY = f(
    "tingkat",
    "Tingkat kerusakan",
    "singlevaluelist",
    values=[("ringan", "Ringan"), ("sedang", "Sedang"), ("berat", "Berat/berbahaya")],
)

COMPLAINTS = [
    {
        "code": "jalan",
        "name": "Pengaduan jalan dan jembatan rusak",
        "description": "Jalan berlubang, jembatan rusak, longsor yang menutup jalan.",
        "fields": [SEVERITY],
        "days": 14,
    },
    {
        "code": "penerangan",
        "name": "Pengaduan lampu penerangan jalan",
        "description": "Lampu jalan mati atau berkedip, tiang miring.",
        "fields": [f("jumlah_lampu", "Jumlah lampu mati", "number", required=False)],
        "days": 7,
    },
    {
        "code": "drainase",
        "name": "Pengaduan saluran air dan drainase",
        "description": "Saluran tersumbat, banjir genangan, gorong-gorong rusak.",
        "fields": [SEVERITY],
        "days": 14,
    },
    {
        "code": "pelayanan_publik",
        "name": "Pengaduan pelayanan publik",
        "description": "Keluhan atas pelayanan kantor desa atau fasilitas umum desa.",
        "fields": [f("waktu_kejadian", "Waktu kejadian", "datetime", required=False)],
        "days": 7,
    },
]
